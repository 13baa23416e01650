CREATE TABLE "chamas" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"rules" text DEFAULT '' NOT NULL,
	"interest_rate_bp" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"member_count" integer DEFAULT 0 NOT NULL,
	"total_contributions_cents" bigint DEFAULT 0 NOT NULL,
	"approved_contributions" integer DEFAULT 0 NOT NULL,
	"available_balance_cents" bigint DEFAULT 0 NOT NULL,
	"loans_outstanding_cents" bigint DEFAULT 0 NOT NULL,
	"interest_paid_cents" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "chamas_balance_not_negative" CHECK ("chamas"."available_balance_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "chama_contributions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"chama_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"amount_cents" bigint NOT NULL,
	"date" date NOT NULL,
	"status" varchar(10) DEFAULT 'pending' NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"interest_earned_cents" bigint DEFAULT 0 NOT NULL,
	"interest_applied_at" timestamp with time zone,
	"interest_month" date,
	CONSTRAINT "chama_contributions_amount_positive" CHECK ("chama_contributions"."amount_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "chama_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" varchar(40) NOT NULL,
	"payload" jsonb NOT NULL,
	"status" varchar(10) DEFAULT 'queued' NOT NULL,
	"dedupe_key" varchar(100),
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"locked_at" timestamp with time zone,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer DEFAULT 0 NOT NULL,
	"result" jsonb,
	"last_error" text,
	"started_by" varchar(100),
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "chama_loans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"chama_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"principal_cents" bigint NOT NULL,
	"annual_rate_bp" integer NOT NULL,
	"term_months" integer NOT NULL,
	"total_due_cents" bigint NOT NULL,
	"repaid_cents" bigint DEFAULT 0 NOT NULL,
	"status" varchar(10) DEFAULT 'requested' NOT NULL,
	"purpose" varchar(500) DEFAULT '' NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"disbursed_by" uuid,
	"disbursed_at" timestamp with time zone,
	"repaid_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "chama_members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"chama_id" uuid NOT NULL,
	"principal_id" uuid NOT NULL,
	"role" varchar(20) NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"left_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "chama_loan_repayments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"loan_id" uuid NOT NULL,
	"amount_cents" bigint NOT NULL,
	"paid_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chama_contributions" ADD CONSTRAINT "chama_contributions_chama_id_chamas_id_fk" FOREIGN KEY ("chama_id") REFERENCES "public"."chamas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chama_contributions" ADD CONSTRAINT "chama_contributions_member_id_chama_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."chama_members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chama_loans" ADD CONSTRAINT "chama_loans_chama_id_chamas_id_fk" FOREIGN KEY ("chama_id") REFERENCES "public"."chamas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chama_loans" ADD CONSTRAINT "chama_loans_member_id_chama_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."chama_members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chama_members" ADD CONSTRAINT "chama_members_chama_id_chamas_id_fk" FOREIGN KEY ("chama_id") REFERENCES "public"."chamas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chama_loan_repayments" ADD CONSTRAINT "chama_loan_repayments_loan_id_chama_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."chama_loans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chamas_name_lower_idx" ON "chamas" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "chamas_created_at_idx" ON "chamas" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "chama_contributions_member_date_idx" ON "chama_contributions" USING btree ("member_id","date");--> statement-breakpoint
CREATE INDEX "chama_contributions_status_date_idx" ON "chama_contributions" USING btree ("status","date");--> statement-breakpoint
CREATE INDEX "chama_contributions_pending_idx" ON "chama_contributions" USING btree ("date") WHERE "chama_contributions"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "chama_contributions_chama_date_idx" ON "chama_contributions" USING btree ("chama_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "chama_jobs_dedupe_uq" ON "chama_jobs" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "chama_jobs_queued_idx" ON "chama_jobs" USING btree ("run_at") WHERE "chama_jobs"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "chama_loans_chama_status_idx" ON "chama_loans" USING btree ("chama_id","status");--> statement-breakpoint
CREATE INDEX "chama_loans_member_idx" ON "chama_loans" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "chama_members_active_uq" ON "chama_members" USING btree ("chama_id","principal_id") WHERE "chama_members"."active";--> statement-breakpoint
CREATE INDEX "chama_members_principal_idx" ON "chama_members" USING btree ("principal_id","chama_id");--> statement-breakpoint
CREATE INDEX "chama_loan_repayments_loan_idx" ON "chama_loan_repayments" USING btree ("loan_id","paid_at");
ALTER TABLE "principals" ADD COLUMN "credentials_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "throttle_counters" ADD COLUMN "previous_at" timestamp with time zone;
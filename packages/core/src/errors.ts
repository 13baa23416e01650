/**
 * The one error catalog. Every error Gatehouse answers with has a stable snake_case code here;
 * `docs/errors.md` lists the same codes and a test keeps the two in sync.
 */
export const errorCatalog = {
  validation_failed: { status: 400, message: "The request does not match the expected shape." },
  invalid_json: { status: 400, message: "The request body is not valid JSON." },
  bad_request: { status: 400, message: "The request could not be understood." },
  token_in_url: {
    status: 400,
    message: "Session tokens are only accepted from the realm's cookie, never from the URL.",
  },
  weak_password: { status: 400, message: "The password does not meet the password policy." },
  invalid_credentials: { status: 401, message: "The email or password is incorrect." },
  not_authenticated: { status: 401, message: "No valid session for this realm." },
  session_expired: { status: 401, message: "The session has expired. Sign in again." },
  forbidden: { status: 403, message: "This action is not allowed." },
  csrf_token_invalid: {
    status: 403,
    message: "The X-CSRF-Token header is missing or does not belong to this session.",
  },
  not_found: { status: 404, message: "Nothing is here." },
  unknown_realm: { status: 404, message: "There is no such realm." },
  method_not_allowed: { status: 405, message: "This method is not allowed here." },
  email_taken: { status: 409, message: "An account with this email already exists." },
  body_too_large: { status: 413, message: "The request body is too large." },
  uri_too_long: { status: 414, message: "The request URL is too long." },
  unsupported_media_type: { status: 415, message: "The request body must be JSON." },
  headers_too_large: { status: 431, message: "The request headers are too large." },
  rate_limited: { status: 429, message: "Too many requests. Try again later." },
  // abuse protection
  cross_site_request: {
    status: 403,
    message: "Cross-site requests may not change state here. Send it from the Gatehouse origin.",
  },
  captcha_required: {
    status: 403,
    message: "Too many failed attempts: solve the CAPTCHA from GET /api/public/captcha and send it as `captcha`.",
  },
  captcha_invalid: { status: 403, message: "The CAPTCHA solution is wrong, expired or already used." },
  otp_invalid: { status: 401, message: "The code is wrong, expired or already used. Request a new one." },
  internal_error: { status: 500, message: "Something went wrong on our side." },
  storage_unavailable: { status: 503, message: "The session store is unreachable. Try again shortly." },
  // session lifecycle
  reset_token_invalid: { status: 400, message: "The reset link is invalid, expired or already used." },
  invalid_cursor: { status: 400, message: "The pagination cursor is not valid." },
  cron_unauthorized: { status: 401, message: "The cron secret is missing or wrong." },
  permission_denied: { status: 403, message: "Your account lacks the permission this action needs." },
  self_disable_refused: { status: 409, message: "An administrator cannot disable their own account." },
  // admin access: roles, second factor, step-up
  second_factor_required: {
    status: 403,
    message: "Sign-in is not finished: send the code from your authenticator app to /auth/totp/verify.",
  },
  enrolment_required: {
    status: 403,
    message: "A second factor is required: enrol an authenticator app before anything else.",
  },
  step_up_required: {
    status: 403,
    message: "This action needs a recent re-authentication: confirm your password or a code, then retry.",
  },
  no_pending_sign_in: { status: 409, message: "There is no sign-in waiting for a second factor." },
  totp_invalid: { status: 401, message: "The code is wrong, expired or already used." },
  totp_not_enrolled: { status: 409, message: "No authenticator app is enrolled for this account." },
  totp_already_enrolled: { status: 409, message: "An authenticator app is already enrolled for this account." },
  unknown_permission: { status: 400, message: "A permission in the request is not in the permission catalog." },
  role_name_taken: { status: 409, message: "A role with this name already exists." },
  role_in_use: { status: 409, message: "The role is still granted to an admin: remove those grants first." },
  builtin_role_refused: { status: 409, message: "Built-in roles cannot be deleted, and owner cannot be edited." },
  last_owner_refused: { status: 409, message: "This would leave no enabled admin holding the owner role." },
  // domain packages (ChamaHub): generic conflicts a group-savings app answers with
  invalid_state: { status: 409, message: "The item is not in a state that allows this action." },
  insufficient_funds: { status: 409, message: "The available balance does not cover this amount." },
  last_chairperson_refused: {
    status: 409,
    message: "The group's last chairperson cannot leave or lose that role. Appoint another one first.",
  },
  already_member: { status: 409, message: "This account is already an active member." },
  import_invalid: { status: 400, message: "A row of the import file is invalid; nothing was imported." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export const errorCodes = Object.keys(errorCatalog) as ErrorCode[];

/** A failure with a catalogued code. Handlers throw these; the HTTP layer renders them. */
export class GatehouseError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, options: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(errorCatalog[code].message, { cause: options.cause });
    this.name = "GatehouseError";
    this.code = code;
    this.status = errorCatalog[code].status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/**
 * Thrown by a store when its backing service cannot be reached. Callers must fail closed:
 * the HTTP layer turns it into 503 `storage_unavailable`, never into "signed out" or "signed in".
 */
export class StorageUnavailableError extends GatehouseError {
  constructor(cause: unknown) {
    super("storage_unavailable", { cause });
    this.name = "StorageUnavailableError";
  }
}

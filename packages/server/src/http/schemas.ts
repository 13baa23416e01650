import { type ErrorCode, errorCodes } from "@gatehouse/core";
import { z } from "zod";

/** Shared API shapes; each is registered once in the OpenAPI document. */
export const errorResponse = z
  .object({
    error: z.object({
      code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "ErrorResponse" });

export const principalResponse = z
  .object({
    id: z.uuid(),
    realm: z.string(),
    email: z.string(),
    displayName: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Principal" });

/**
 * The one public shape of a session (`toPublicSession` in core builds it). Every other shape of a
 * session (a list item, an admin's view) extends this one, so a field two of them share has one name
 * and one meaning.
 */
export const sessionResponse = z
  .object({
    /** The id half of the token: never the secret. */
    id: z.string(),
    realm: z.string(),
    createdAt: z.iso.datetime(),
    lastActiveAt: z.iso
      .datetime()
      .describe("The last recorded activity (written at most once per activity interval; passive checks do not count)"),
    expiresAt: z.iso.datetime().describe("The absolute deadline"),
    idleExpiresAt: z.iso.datetime().describe("When the session ends without further activity"),
    rememberMe: z.boolean(),
    stage: z
      .enum(["full", "second_factor", "enrolment"])
      .describe("`full`, or an unfinished sign-in: the TOTP code is due, or a factor must be enrolled first"),
    authenticatedAt: z.iso
      .datetime()
      .describe(
        "The last proof of identity (sign-in or re-authentication); sensitive actions need one within 5 minutes",
      ),
  })
  .meta({ id: "Session" });

export const authenticatedResponse = z
  .object({ principal: principalResponse, session: sessionResponse, csrfToken: z.string() })
  .meta({ id: "Authenticated" });

/** The session endpoint's answer: also what the principal may do (admins; empty elsewhere). */
export const currentSessionResponse = authenticatedResponse
  .extend({
    permissions: z
      .array(z.string())
      .describe("The permissions this principal holds now; the console hides what it cannot do, the server decides"),
  })
  .meta({ id: "CurrentSession" });

export const email = z.email().max(254);
/**
 * Length limits are checked by the password policy so the error says which rule failed. Control
 * characters (NUL included) are refused, and so are lone surrogates: UTF-8 encoding turns each into
 * U+FFFD before hashing, so different passwords would hash the same.
 */
export const password = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[^\p{Cc}\p{Cs}]*$/u, "no control characters or lone surrogates");

/** The error responses every API route can give, for the OpenAPI document. */
export const commonErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 503: errorResponse };

/** How many sessions an action ended: one name for every such count. */
export const revokedSessionsResponse = z.object({ revokedSessions: z.number().int() }).meta({ id: "RevokedSessions" });

import { GatehouseError } from "./errors.ts";

export const passwordMinLength = 12;
export const passwordMaxLength = 256;

/**
 * True when a password is common or trivially guessable (a list of leaked passwords and their
 * variations). Injected — the server wires a dictionary package — so the core stays free of heavy deps.
 */
export type CommonPasswordCheck = (password: string) => Promise<boolean>;

/** Throws `weak_password` with a reason a user can act on. Length counts Unicode code points. */
export function assertPasswordAcceptable(password: string): void {
  const length = [...password].length;
  if (length < passwordMinLength) {
    throw new GatehouseError("weak_password", { details: { reason: "too_short", minLength: passwordMinLength } });
  }
  if (length > passwordMaxLength) {
    throw new GatehouseError("weak_password", { details: { reason: "too_long", maxLength: passwordMaxLength } });
  }
}

/** The whole policy: length rules, then the common-password list when one is configured. */
export async function checkPassword(password: string, isCommon?: CommonPasswordCheck): Promise<void> {
  assertPasswordAcceptable(password);
  if (isCommon && (await isCommon(password))) {
    throw new GatehouseError("weak_password", { details: { reason: "common_password" } });
  }
}

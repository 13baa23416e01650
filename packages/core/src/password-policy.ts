import { GatehouseError } from "./errors.ts";

export const passwordMinLength = 12;
export const passwordMaxLength = 256;

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

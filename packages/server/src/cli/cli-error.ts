import { GatehouseError } from "@gatehouse/core";
import { ConfigError } from "../config.ts";
import { DataDirLockedError } from "../db/data-dir-lock.ts";
import { DatabaseUnreachableError } from "../db/unreachable.ts";

/** A failure whose message is already what the operator should read. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/** An error as the message the CLI prints on stderr before exiting 1. Never includes a password. */
export function cliErrorMessage(error: unknown): string {
  if (
    error instanceof CliError ||
    error instanceof ConfigError ||
    error instanceof DataDirLockedError ||
    error instanceof DatabaseUnreachableError
  ) {
    return error.message;
  }
  if (error instanceof GatehouseError && error.code === "weak_password") return weakPasswordMessage(error.details);
  if (error instanceof GatehouseError) return error.message;
  if (error instanceof Error && error.name === "ExitPromptError") return "Cancelled.";
  // First line only: a failed query's message goes on to list its parameters (a password hash, say).
  const message = error instanceof Error ? error.message : String(error);
  return `Command failed: ${message.split("\n")[0]}`;
}

/** The password policy's reason, in words. */
export function weakPasswordMessage(details: unknown): string {
  const d = (details ?? {}) as { reason?: string; minLength?: number; maxLength?: number };
  if (d.reason === "too_short") return `The password is too short: it needs at least ${d.minLength} characters.`;
  if (d.reason === "too_long") return `The password is too long: at most ${d.maxLength} characters.`;
  return "The password does not meet the password policy.";
}

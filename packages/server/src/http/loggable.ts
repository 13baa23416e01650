import { secretShapeLength, tokenShape } from "@gatehouse/core";

const scrubs: [RegExp, string][] = [
  // Drizzle appends a failed query's parameters (emails, session ids, hashes) to message and stack.
  [/\nparams: [\s\S]*?(?=\n\s+at |$)/, "\nparams: [redacted]"],
  // Other libraries quote values in their messages, e.g. a mail server refusing a recipient.
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[email]"],
  [new RegExp(tokenShape, "g"), "[token]"],
  // A bare secret: a token's second half or a reset token. Stack paths never have runs this long.
  [new RegExp(`[A-Za-z0-9_-]{${secretShapeLength},}`, "g"), "[secret]"],
];

function scrub(text: string | undefined): string | undefined {
  return scrubs.reduce((current, [pattern, replacement]) => current?.replace(pattern, replacement), text);
}

/**
 * An error as it may be logged: the one scrubber, installed as the logger's `err` serializer
 * (logger.ts), so every `log.error({ err })` passes through it and no call site can forget. Only
 * name, message, code, stack and cause are kept, all scrubbed; other properties (drizzle's `params`,
 * pg's `detail` with the conflicting value) are dropped.
 */
export function loggable(error: unknown, depth = 0): unknown {
  if (depth > 5) return "[cause chain cut]";
  // Anything thrown that is not an Error keeps only its scrubbed text, never its properties.
  if (!(error instanceof Error))
    return typeof error === "string" ? scrub(error) : Object.prototype.toString.call(error);
  const { code } = error as { code?: unknown };
  return {
    type: error.name,
    message: scrub(error.message),
    ...(typeof code === "string" ? { code } : {}),
    stack: scrub(error.stack),
    ...(error.cause !== undefined ? { cause: loggable(error.cause, depth + 1) } : {}),
  };
}

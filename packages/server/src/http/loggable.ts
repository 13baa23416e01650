/**
 * An error as it may be logged. Drizzle puts a failed query's parameters (emails, session ids,
 * password and secret hashes) into the message, the stack and a `params` property; those are dropped,
 * the query text, codes and stacks are kept for the operator.
 */
export function loggable(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 5) return error;
  const scrub = (text: string | undefined) => text?.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, "\nparams: [redacted]");
  const { code } = error as { code?: unknown };
  return {
    type: error.name,
    message: scrub(error.message),
    ...(typeof code === "string" ? { code } : {}),
    stack: scrub(error.stack),
    ...(error.cause !== undefined ? { cause: loggable(error.cause, depth + 1) } : {}),
  };
}

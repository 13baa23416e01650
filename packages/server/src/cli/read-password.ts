import { assertPasswordAcceptable, GatehouseError } from "@gatehouse/core";
import password from "@inquirer/password";
import { CliError, weakPasswordMessage } from "./cli-error.ts";

/**
 * The new account's password: all of stdin when it is piped (one trailing newline stripped, so
 * `echo "$PW" | …` works), else an interactive prompt without echo, asked twice.
 */
export async function readNewPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const piped = stripOneNewline(await readAll(process.stdin));
    if (piped.length === 0) {
      throw new CliError("No password on stdin: pipe one in, or run in a terminal to be prompted.");
    }
    return piped;
  }
  // Prompts go to stderr: stdout carries only the result, for scripts.
  const context = { output: process.stderr };
  const first = await password({ message: prompt, validate: policyProblem }, context);
  const again = await password({ message: "Repeat the password:" }, context);
  if (first !== again) throw new CliError("The passwords do not match.");
  return first;
}

export function stripOneNewline(text: string): string {
  if (text.endsWith("\r\n")) return text.slice(0, -2);
  if (text.endsWith("\n")) return text.slice(0, -1);
  return text;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** For the prompt's inline validation: the same policy createPrincipal enforces. */
function policyProblem(value: string): true | string {
  try {
    assertPasswordAcceptable(value);
    return true;
  } catch (error) {
    if (error instanceof GatehouseError) return weakPasswordMessage(error.details);
    throw error;
  }
}

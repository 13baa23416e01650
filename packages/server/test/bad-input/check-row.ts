import { counts, live, type Row, send } from "./harness.ts";

/**
 * Sends one row and lists what went wrong: the wrong status or code, a body that is not
 * `{ error: { code, message } }`, a session cookie handed out, a stack trace or a submitted secret
 * in the body or the logs, or anything written to `principals` or `sessions`. Empty means it held.
 */
export async function checkRow(row: Row): Promise<string[]> {
  const { server } = live();
  const before = await counts();
  const logsBefore = server.logs.length;
  const reply = await send(row);
  const after = await counts();
  const problems: string[] = [];
  if (reply.status !== row.status) problems.push(`status ${reply.status}, expected ${row.status}`);
  if (row.code !== null) {
    let parsed: { error?: { code?: unknown; message?: unknown } } | undefined;
    try {
      parsed = JSON.parse(reply.text);
    } catch {
      problems.push(`body is not JSON: ${reply.text.slice(0, 120)}`);
    }
    if (parsed && parsed.error?.code !== row.code) problems.push(`code ${String(parsed.error?.code)}`);
    if (parsed && typeof parsed.error?.message !== "string") problems.push("no error.message");
    if (parsed && Object.keys(parsed).join() !== "error") problems.push(`extra top-level keys ${Object.keys(parsed)}`);
  } else if (reply.text !== "") problems.push(`unexpected body ${reply.text.slice(0, 120)}`);
  const setCookies = [reply.headers["set-cookie"] ?? []].flat();
  // Clearing a cookie is fine; handing out a value is not.
  if (setCookies.some((c) => !/^[^=]+=;/.test(c))) problems.push(`sets a cookie: ${setCookies}`);
  if (/\n\s+at |"stack"/.test(reply.text)) problems.push("stack trace in the body");
  for (const secret of row.secrets ?? []) if (reply.text.includes(secret)) problems.push("secret in the body");
  if (after.principals !== before.principals || after.sessions !== before.sessions) {
    problems.push(`wrote: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  }
  // Give the logger a moment to flush what this request wrote.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const newLogs = server.logs.slice(logsBefore).join("");
  if (/\\n\s+at |"stack"/.test(newLogs)) problems.push("stack trace in the logs");
  for (const secret of row.secrets ?? []) if (newLogs.includes(secret)) problems.push("secret in the logs");
  return problems;
}

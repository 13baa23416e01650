import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";

/** Test servers use a cheap proof of work so solving takes milliseconds. */
export const cheapCaptchaEnv = { CAPTCHA_COST: "1", CAPTCHA_MAX_COUNTER: "64" };

/** Fetches a challenge from the public endpoint and solves it as a browser widget would. */
export async function solveCaptcha(baseUrl: string): Promise<string> {
  const response = await fetch(new URL("/api/public/captcha", baseUrl));
  if (response.status !== 200) throw new Error(`captcha endpoint answered ${response.status}`);
  const challenge: any = await response.json();
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 10_000 });
  if (!solution) throw new Error("could not solve the captcha");
  return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
}

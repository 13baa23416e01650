import { z } from "zod";
import { maxCaptchaPayloadLength } from "../../abuse/captcha.ts";

export const totpCode = z.string().regex(/^[0-9]{6}$/, "six digits");
export const recoveryCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{5}-?[0-9A-Za-z]{5}$/, "a recovery code, e.g. ABCDE-12345");
export const captcha = z.string().max(maxCaptchaPayloadLength).optional();

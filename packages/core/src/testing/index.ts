export { otpStoreContract } from "./otp-store-contract.ts";
export { principalStoreContract } from "./principal-store-contract.ts";
export { type ResetTokenFixture, resetTokenStoreContract } from "./reset-token-store-contract.ts";
export { sessionStoreContract } from "./session-store-contract.ts";
export { throttleStoreContract } from "./throttle-store-contract.ts";

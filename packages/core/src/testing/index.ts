export { principalStoreContract } from "./principal-store-contract.ts";
export { type ResetTokenFixture, resetTokenStoreContract } from "./reset-token-store-contract.ts";
export { sessionStoreContract } from "./session-store-contract.ts";

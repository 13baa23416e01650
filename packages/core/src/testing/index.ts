export { principalStoreContract } from "./principal-store-contract.ts";
export { sessionStoreContract } from "./session-store-contract.ts";

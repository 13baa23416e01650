import { MemoryPrincipalStore, MemoryResetTokenStore, MemorySessionStore } from "../src/index.ts";
import { principalStoreContract, resetTokenStoreContract, sessionStoreContract } from "../src/testing/index.ts";

sessionStoreContract("memory", async () => new MemorySessionStore());
principalStoreContract("memory", async () => new MemoryPrincipalStore());
resetTokenStoreContract("memory", async () => ({
  store: new MemoryResetTokenStore(),
  createPrincipal: async () => crypto.randomUUID(),
}));

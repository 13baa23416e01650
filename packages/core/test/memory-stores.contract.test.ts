import {
  MemoryOtpStore,
  MemoryPrincipalStore,
  MemoryResetTokenStore,
  MemorySessionStore,
  MemoryThrottleStore,
  otpStoreContract,
  principalStoreContract,
  resetTokenStoreContract,
  sessionStoreContract,
  throttleStoreContract,
} from "../src/testing/index.ts";

sessionStoreContract("memory", async () => new MemorySessionStore());
principalStoreContract("memory", async () => new MemoryPrincipalStore());
resetTokenStoreContract("memory", async () => ({
  store: new MemoryResetTokenStore(),
  createPrincipal: async () => crypto.randomUUID(),
}));
throttleStoreContract("memory", async () => new MemoryThrottleStore());
otpStoreContract("memory", async () => new MemoryOtpStore());

import { MemoryOtpStore, MemoryPrincipalStore, MemorySessionStore, MemoryThrottleStore } from "../src/index.ts";
import {
  otpStoreContract,
  principalStoreContract,
  sessionStoreContract,
  throttleStoreContract,
} from "../src/testing/index.ts";

sessionStoreContract("memory", async () => new MemorySessionStore());
principalStoreContract("memory", async () => new MemoryPrincipalStore());
throttleStoreContract("memory", async () => new MemoryThrottleStore());
otpStoreContract("memory", async () => new MemoryOtpStore());

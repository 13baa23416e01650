import { MemoryPrincipalStore, MemorySessionStore } from "../src/index.ts";
import { principalStoreContract, sessionStoreContract } from "../src/testing/index.ts";

sessionStoreContract("memory", async () => new MemorySessionStore());
principalStoreContract("memory", async () => new MemoryPrincipalStore());

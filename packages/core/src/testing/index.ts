// Test support, exported as `@gatehouse/core/testing` (never from the public entry): the in-memory
// doubles and the store contract suites every implementation (memory, PGlite, PostgreSQL) must pass.
export { MemoryAuditSink } from "../memory/memory-audit-sink.ts";
export { MemoryMailer } from "../memory/memory-mailer.ts";
export { MemoryOtpStore } from "../memory/memory-otp-store.ts";
export { MemoryPrincipalStore } from "../memory/memory-principal-store.ts";
export { MemoryResetTokenStore } from "../memory/memory-reset-token-store.ts";
export { MemorySessionStore } from "../memory/memory-session-store.ts";
export { MemoryThrottleStore } from "../memory/memory-throttle-store.ts";
export { otpStoreContract } from "./otp-store-contract.ts";
export { principalStoreContract } from "./principal-store-contract.ts";
export { type ResetTokenFixture, resetTokenStoreContract } from "./reset-token-store-contract.ts";
export { sessionStoreContract } from "./session-store-contract.ts";
export { throttleStoreContract } from "./throttle-store-contract.ts";

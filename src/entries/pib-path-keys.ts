/**
 * The on-board PIB path plus the key table (src/ground/keys.ts: key ids, rollover by trial
 * verification, derived keys, reuse refusal). `new KeyTable(n, u, verifier)` borrows
 * the Verifier's HMAC-SHA1, so keys cost code and their own tables, not a second MAC.
 */
export * from "./pib-path.js";
export { KeyTable } from "../ground/keys.js";

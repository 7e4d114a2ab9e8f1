/**
 * Zero allocation, proved on the exact built firmware: SDNV read/write, CRC-32C / MD5 /
 * SHA-1 / HMAC update+finish over 64 octets, bundle parse, EID text and the bundle
 * writer run 10,000 times in QuickJS under a memory limit with ZERO headroom (the
 * smallest limit at which the 0-iteration call succeeds) and must not run out of
 * memory; in XS `currentHeapCount` must not grow with the number of calls.
 * Deliberately allocating control paths (on every call, and once in 1,000 calls) must
 * fail both checks, so the test can fail. The 4 KiB canonicalize/verify/sign paths
 * are in test/alloc-bundles.test.ts, alloc-ground.test.ts and alloc-relay.test.ts
 * (same method, one file per firmware build, run in parallel).
 */
import { allocSuite } from "../targets/size/allocSuite.js";

allocSuite(false);

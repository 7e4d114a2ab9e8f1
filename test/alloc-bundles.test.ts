/**
 * Zero allocation of the 4 KiB paths (targets/allocSuite.ts explains the method):
 * canonicalize-and-verify per suite (CRC-32C, MD5, NULL-key HMAC, keyed HMAC through
 * the key table, both keys tried during a rollover), the relay check, and sign into a
 * fixed buffer per suite — 10,000 calls each in QuickJS under zero headroom (1,000 for
 * the two-key rollover path), and no heap growth in XS.
 */
import { allocSuite } from "../targets/allocSuite.js";

allocSuite(true);

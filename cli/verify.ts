/**
 * `pibkit verify FILE [--key ID=HEX]… [--profile P]`: checks every PIB of a bundle in
 * LIFO order (nearest the primary block first) and prints one line per PIB.
 * Exit 0 when there is at least one PIB and every one verifies, 1 when any mismatches,
 * 2 otherwise (malformed, unknown suite or key, skipped, no PIB).
 */
import { readFileSync } from "node:fs";
import { errorName } from "../src/errorText.js";
import { Err } from "../src/errors.js";
import { describePibs, Verdict, Verifier } from "../src/pib.js";
import { codeError, EXIT_OK, EXIT_USAGE, EXIT_VERIFY_FAILED, parse, usageError } from "./common.js";
import { keysOption, PROFILE_HELP, PROFILE_OPTIONS, profileOption, suiteIdsOption } from "./pibOptions.js";

const HELP = `usage: pibkit verify FILE [options]

Checks every Payload Integrity Block of the bundle in FILE, nearest the primary block
first, and prints one line per PIB with its verdict. PIB-INSECURE-* suites and the
NULL-keyed PIB-HMAC detect errors only: they are labelled INSECURE / "no security".

  --key ID=HEX         a 20-octet PIB-HMAC key for key id ID (repeatable)
  --accept-bare        also accept the draft's bare-SDNV parameters and a raw result
${PROFILE_HELP}

exit status: 0 every PIB verified (at least one), 1 a PIB did not match,
             2 malformed, unknown suite or key, skipped, no PIB, or bad usage`;

export function run(argv: string[]): number {
  const a = parse(
    argv,
    { key: { type: "string", multiple: true }, "accept-bare": { type: "boolean" }, ...PROFILE_OPTIONS },
    HELP,
  );
  if (!a) return 0;
  const [file, ...extra] = a.positionals;
  if (file === undefined || extra.length > 0) usageError("expected one FILE (see --help)");
  const v = a.values;
  const verifier = new Verifier(256, 256, 64);
  verifier.profile = profileOption(v.profile);
  verifier.ids = suiteIdsOption(v["suite-ids"]);
  verifier.acceptBare = v["accept-bare"] === true;
  const table = keysOption(v.key);
  if (table) verifier.keys = table;
  const bytes = new Uint8Array(readFileSync(file));
  const n = verifier.verifyAll(bytes, 0, bytes.length);
  if (n < 0) codeError(n, file);
  if (n === 0) codeError(-Err.NoPib, file);
  let mismatch = false;
  for (const d of describePibs(verifier, errorName)) {
    if (d.verdictCode === Verdict.Mismatch) mismatch = true;
    const key = d.keyId !== null ? `, key id ${d.keyId}` : "";
    const range = d.offset !== null ? ` covers payload ${d.offset}+${d.length}` : "";
    const result = d.result !== "" ? ` result ${d.result}` : "";
    process.stdout.write(
      `PIB block ${d.block} @${d.blockOffset}: ${d.suiteName} (suite ${d.suite < 0 ? "?" : d.suite}${key})${range}${result}: ${d.verdict}\n`,
    );
  }
  if (mismatch) return EXIT_VERIFY_FAILED;
  return verifier.allOk() ? EXIT_OK : EXIT_USAGE;
}

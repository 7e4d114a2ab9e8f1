/**
 * The Node library (dist/node/pibkit.mjs, `import … from "pibkit"`): the ground library
 * of full.ts plus the streaming classes behind `pibkit sign`, `verify` and `inspect`
 * (src/ground/stream.ts: a bundle of any size in pieces, docs/pib.md "Bundles larger
 * than memory"). Not a firmware entry: the streaming ground classes are too large for
 * the boards, which have src/onboard/streamVerifier.ts instead.
 */
export * from "./full.js";
export { StreamSigner, StreamVerifier } from "../ground/stream.js";

/**
 * The on-board PIB path with streaming verification (src/onboard/streamVerifier.ts):
 * everything of ./pib-path.ts, plus a StreamVerifier that checks a bundle arriving in
 * pieces with fixed working memory (a window for the blocks around the payload, one
 * digest lane per payload-covering PIB), for bundles larger than free RAM. Built with
 * the `__PIBKIT_STREAM__` switch at 1 (feature `pib-path+stream` in
 * targets/build/firmware.mjs), which the other builds set to 0.
 */
export * from "./pib-path.js";
export { StreamVerifier } from "../onboard/streamVerifier.js";

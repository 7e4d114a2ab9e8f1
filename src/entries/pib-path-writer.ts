/**
 * The on-board PIB path plus the bundle writer (src/ground/bundleWriter.ts): a node that makes
 * its own bundles — the simulator's imaging recorder — and signs and checks them with
 * the firmware that flies. The writer is an add-on of the on-board path, like the key
 * table (pib-path-keys.ts).
 */
export * from "./pib-path.js";
export { BundleWriter, PrimarySpec, writeBlock } from "../ground/bundleWriter.js";

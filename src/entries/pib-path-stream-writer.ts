/**
 * The on-board PIB path with streaming verification and the bundle writer: a node that
 * makes bundles larger than its RAM — the simulator's imaging recorder, whose 200 MB
 * images never fit a 64 MiB processor — and signs them in place: the writer's header
 * with each PIB's result octets reserved, the payload streamed once per PIB through
 * StreamVerifier, `seal` giving the result to write over the reserved octets
 * (docs/onboard.md, "Signing in place"). Built with `__PIBKIT_STREAM__` at 1, like
 * ./pib-path-stream.ts.
 */
export * from "./pib-path-stream.js";
export { BundleWriter, PrimarySpec, writeBlock } from "../ground/bundleWriter.js";

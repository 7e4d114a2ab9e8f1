/**
 * The other thread of cli/crcThreads.ts: crcOfStretch over the stretch it was given
 * (its descriptors are the process's own, shared with the thread that started this
 * one). Posts {crc}, or the I/O error's {code, syscall, message}.
 */
import { parentPort, workerData } from "node:worker_threads";
import { crcOfStretch, type Stretch } from "./crcStretch.js";

try {
  parentPort!.postMessage({ crc: crcOfStretch(workerData as Stretch) });
} catch (e) {
  const x = e as NodeJS.ErrnoException;
  parentPort!.postMessage({ code: x.code, syscall: x.syscall, message: String(x.message) });
}

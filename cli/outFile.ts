/**
 * An output file (OUT of `sign` and `make-bundle`) written whole or not at all: the
 * octets go to a temporary file beside OUT, which replaces OUT by a rename once the
 * command has written everything, and is removed when it fails — so a full disk, a
 * malformed input or a read error leaves OUT as it was (absent, or the old file),
 * never a part of a bundle. Through a symbolic link the file it names is replaced and
 * the link stays; a replaced file keeps its permission bits. `-` is stdout, and a file
 * that is not a regular one (/dev/null, a FIFO) is written directly. An interrupted
 * command removes the temporary file too (cli/interrupt.ts).
 */
import { closeSync, fchmodSync, openSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { fileError } from "./common.js";
import { forget, removeOnInterrupt } from "./interrupt.js";

export class OutFile {
  /** The descriptor to write to. */
  readonly fd: number;
  private readonly place: string;
  /** The temporary file, or null when written directly. */
  private readonly temp: string | null;
  private finished = false;

  constructor(readonly path: string) {
    if (path === "-") {
      this.fd = 1;
      this.place = path;
      this.temp = null;
      return;
    }
    let place = path;
    let mode = -1;
    let regular = true;
    try {
      place = realpathSync(path);
      const st = statSync(place);
      regular = st.isFile();
      mode = st.mode & 0o7777;
    } catch {
      place = path;
    }
    this.place = place;
    this.temp = regular ? `${place}.pibkit-${process.pid}.tmp` : null;
    if (this.temp !== null) removeOnInterrupt(this.temp);
    try {
      this.fd = openSync(this.temp ?? place, "w");
      if (this.temp !== null && mode >= 0) fchmodSync(this.fd, mode);
    } catch (e) {
      if (this.temp !== null) {
        rmSync(this.temp, { force: true });
        forget(this.temp);
      }
      fileError("write", path, e);
    }
  }

  /** Everything is written: OUT takes the new octets when the file is closed. */
  done(): void {
    this.finished = true;
  }

  /** Closes the file; puts it in OUT's place if done(), else removes it. Call once, in a `finally`. */
  close(): void {
    if (this.fd !== 1) closeSync(this.fd);
    if (this.temp === null) return;
    try {
      if (!this.finished) {
        rmSync(this.temp, { force: true });
        return;
      }
      try {
        renameSync(this.temp, this.place);
      } catch (e) {
        rmSync(this.temp, { force: true });
        fileError("write", this.path, e);
      }
    } finally {
      forget(this.temp);
    }
  }
}

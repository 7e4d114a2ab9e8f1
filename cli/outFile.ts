/**
 * An output file (OUT of `sign` and `make-bundle`) written whole or not at all: the
 * octets go to a temporary file beside OUT, which replaces OUT by a rename once the
 * command has written everything, and is removed when it fails — so a full disk, a
 * malformed input or a read error leaves OUT as it was (absent, or the old file),
 * never a part of a bundle. Through a symbolic link the file it names is replaced and
 * the link stays; a replaced file keeps its permission bits. `-` is stdout, and a file
 * that is not a regular one (/dev/null, a FIFO), or one in a folder where no other file
 * can be made, is written directly. An interrupted command removes the temporary file
 * too (cli/interrupt.ts).
 */
import { closeSync, fchmodSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
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
    let temp: string | null = regular ? `${place}.pibkit-${process.pid}.tmp` : null;
    let fd = -1;
    if (temp !== null) {
      removeOnInterrupt(temp);
      try {
        fd = openSync(temp, "w");
        if (mode >= 0) fchmodSync(fd, mode);
      } catch (e) {
        if (fd >= 0) closeSync(fd);
        try {
          rmSync(temp, { force: true });
        } catch {
          // nothing was made there
        }
        forget(temp);
        const code = (e as { code?: string }).code;
        // no file may be made beside OUT (a folder we may not write in, OUT itself
        // writable): OUT is written in place, as without the temporary file; any other
        // failure (a full disk, no such folder) is OUT's error, and OUT is left alone
        if (code !== "EACCES" && code !== "EPERM") fileError("write", path, e);
        temp = null;
        fd = -1;
      }
    }
    this.temp = temp;
    if (fd < 0) {
      try {
        fd = openSync(place, "w");
      } catch (e) {
        fileError("write", path, e);
      }
    }
    this.fd = fd;
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

/** Writes `text` to `path` whole or not at all, through an OutFile (a report, a result). */
export function writeWhole(path: string, text: string): void {
  const f = new OutFile(path);
  try {
    try {
      writeFileSync(f.fd, text);
    } catch (e) {
      fileError("write", path, e);
    }
    f.done();
  } finally {
    f.close();
  }
}

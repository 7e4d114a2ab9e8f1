/**
 * Espruino's `require("Storage").open(name, mode)` StorageFile for the board examples
 * run in QuickJS: the files live on the host as strings in `files` (changed in place),
 * appended by `write` and handed to the VM in pieces by `read`, as a board's flash
 * would; strings cross the host bridge as C strings, so reads come over as octets and
 * become a string in the VM.
 */
import type { QuickJsHost } from "../../targets/hosts/quickjs.js";

/**
 * Defines the host side in `h` and returns the VM text that gives the example
 * `print` (lines gathered in `__out`), `require("pibkit")` (the `firmware` text) and
 * `require("Storage")`; `extra` is VM text put before the firmware (a board's other
 * globals).
 */
export function storageFileShims(h: QuickJsHost, files: Map<string, string>, firmware: string, extra = ""): string {
  h.defineFunction("__fileWrite", (name, s) => {
    files.set(name as string, (files.get(name as string) ?? "") + (s as string));
    return 0;
  });
  h.defineFunction("__fileErase", (name) => {
    files.delete(name as string);
    return 0;
  });
  h.defineByteSource("__fileRead", (name, off, len) => {
    const s = files.get(name as string) ?? "";
    return Uint8Array.from(Buffer.from(s.slice(off as number, (off as number) + (len as number)), "latin1"));
  });
  return `var __out = []; function print(s) { __out.push(String(s)); }
${extra}var __mod = (function () { var exports = {}; var module = { exports: exports };
${firmware}
return exports; })();
var __piece = new Uint8Array(512);
var __storage = { open: function (name, mode) {
  if (mode === "w") __fileErase(name);
  var pos = 0;
  return {
    write: function (s) { __fileWrite(name, s); },
    erase: function () { __fileErase(name); },
    read: function (len) {
      var n = __fileRead(__piece, 0, name, pos, len), s = "";
      if (!n) return undefined;
      pos += n;
      for (var i = 0; i < n; i++) s += String.fromCharCode(__piece[i]);
      return s;
    }
  };
} };
function require(n) { if (n === "pibkit") return __mod; if (n === "Storage") return __storage; throw new Error("no module " + n); }
`;
}

// Sent after pibkit is written to Storage (make flash-espruino): loads the module the
// way an application does and checks it against the published test vectors, on the board.
// Plain ES5 and Espruino-safe (test/firmware-flash.test.ts runs the language check on it).
// The leading ';' keeps the upload's previous line from swallowing this call.
;(function () {
  var p = require("pibkit");
  function hex(b, n) {
    var s = "";
    for (var i = 0; i < n; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
    return s;
  }
  var msg = new Uint8Array(9);
  for (var i = 0; i < 9; i++) msg[i] = 49 + i; // "123456789"
  var out = new Uint8Array(4);
  var crc = new p.Crc32c();
  crc.update(msg, 0, 9);
  crc.finish(out, 0);
  var ok = hex(out, 4) === "839206e3"; // CRC-32C check value e3069283 (RFC 3720 B.4 polynomial), least significant octet first
  print(ok ? "pibkit ok: CRC-32C check value matches" : "pibkit FAILED: CRC-32C " + hex(out, 4));
  if (typeof process !== "undefined" && process.memory) print("memory: " + JSON.stringify(process.memory()));
})();

// Conformance driver that runs INSIDE an engine (QuickJS, XS, Node vm, Espruino-like
// preludes) against a built firmware object `p` (the exports of dist/*/pibkit*.js).
// Plain ES5 on purpose: it must run wherever the firmware runs. Every expected value
// is a published vector (RFC noted per group) or a worked example of docs/pib.md.
// pibkitConformance(p, groups) returns { ran: [names], failures: [{name, got, want}] }.
// `groups` selects what the firmware build contains: sdnv, crc, md5, sha1, hmac, pib,
// keys (the KeyTable add-on), relay (relay-crc32, relay-md5, relay-hmac), stream (the
// on-board StreamVerifier of the pib-path+stream build).

// Published digest vectors as [text, times, digest]: the input is the ASCII `text`
// repeated `times` times. One table for the engines (this driver) and for Node
// (test/md5.test.ts, test/sha1.test.ts read it through test/digestHelpers.ts).
var PIBKIT_DIGEST_VECTORS = {
  // MD5: RFC 1321 A.5
  md5: [
    ["", 1, "d41d8cd98f00b204e9800998ecf8427e"],
    ["a", 1, "0cc175b9c0f1b6a831c399e269772661"],
    ["abc", 1, "900150983cd24fb0d6963f7d28e17f72"],
    ["message digest", 1, "f96b697d7cb7938d525a2f31aaf161d0"],
    ["abcdefghijklmnopqrstuvwxyz", 1, "c3fcd3d76192e4007dfb496cca67e13b"],
    ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 1, "d174ab98d277d9f5a5611c2c9f419d9f"],
    ["1234567890", 8, "57edf4a22be3c955ac49da2e2107b67a"],
  ],
  // SHA-1: the empty message, RFC 3174 §7.3 TEST1, TEST2, TEST4 (TEST3, a million
  // "a", is fed in pieces where it is used: no 1 MB input on a device)
  sha1: [
    ["", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
    ["abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d"],
    ["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"],
    ["01234567", 80, "dea356a2cddd90c7a7ecedc5ebb563934f460452"],
  ],
};

function pibkitConformance(p, groups) {
  // Example 1 (Profile R): primary block, payload, and the PIB of each suite; example 2, the fragment
  var PIB_PRIMARY = "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e6500";
  var PIB_PAYLOAD = "01080c48656c6c6f2c20776f726c64";
  var PIB_53 = {
    crc32: PIB_PRIMARY + "03010e0605040402000c0605040af5e181" + PIB_PAYLOAD,
    md5: PIB_PRIMARY + "03011a0505040402000c1205108b14dd4a1b63fae7f6580f3820dad93a" + PIB_PAYLOAD,
    hmac: PIB_PRIMARY + "0301170405070301000402000c0c050a1e97315fc98653b9d67b" + PIB_PAYLOAD,
  };
  var FRAG_46 = "068a8119380004000e00180018fba29000019c102664746e002f2f6473742f617070002f2f7372632f617070006e6f6e65002f2f72656c61792f00070c034101001d0e060d0404020705060504a97beab9010805776f726c64";
  var ran = [];
  var failures = [];
  function want(g) {
    return !groups || groups.indexOf(g) >= 0;
  }
  function hex(b, off, len) {
    var s = "";
    for (var i = 0; i < len; i++) {
      var x = b[off + i];
      s += (x < 16 ? "0" : "") + x.toString(16);
    }
    return s;
  }
  function bytes(h) {
    var b = new Uint8Array(h.length / 2);
    for (var i = 0; i < b.length; i++) b[i] = parseInt(h.substr(i * 2, 2), 16);
    return b;
  }
  function ascii(s) {
    var b = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    return b;
  }
  function repeat(s, n) {
    var out = "";
    for (var i = 0; i < n; i++) out += s;
    return out;
  }
  function filled(v, n) {
    var b = new Uint8Array(n);
    for (var i = 0; i < n; i++) b[i] = v;
    return b;
  }
  function check(name, got, exp) {
    ran.push(name);
    if (got !== exp) failures.push({ name: name, got: String(got), want: String(exp) });
  }
  function digestHex(d, data) {
    d.reset();
    d.update(data, 0, data.length);
    var out = new Uint8Array(d.size + 2);
    d.finish(out, 1);
    return hex(out, 1, d.size);
  }

  // SDNV vectors (RFC 5050 Figure 2, RFC 6256 §2, every width boundary): [hi, lo, octets]
  if (want("sdnv")) {
    var S = [
      [0, 2748, "953c"], [0, 4660, "a434"], [0, 16948, "818434"], [0, 127, "7f"], [0, 0, "00"], [0, 1, "01"],
      [0, 128, "8100"], [0, 171, "812b"], [0, 16383, "ff7f"], [0, 16384, "818000"], [0, 703710, "aaf95e"],
      [0, 2097151, "ffff7f"], [0, 2097152, "81808000"], [0, 268435455, "ffffff7f"], [0, 4294967295, "8fffffff7f"],
      [7, 4294967295, "ffffffff7f"], [2097151, 4294967295, "8fffffffffffff7f"], [16777215, 4294967295, "ffffffffffffff7f"],
      [2147483647, 4294967295, "ffffffffffffffff7f"], [2147483648, 0, "81808080808080808000"],
      [4294967295, 4294967295, "81ffffffffffffffff7f"], [0, 3600, "9c10"], [0, 163992, "8a8118"], [0, 258508800, "fba29000"],
    ];
    var buf = new Uint8Array(12);
    // the on-board path writes SDNVs from numbers (< 2^53) and reads into an out object
    // with hi/lo words; the ground library also writes (hi, lo) pairs
    var u = p.U64 ? new p.U64() : { hi: 0, lo: 0 };
    var wide = !!p.writeSdnvU64;
    for (var i = 0; i < S.length; i++) {
      var e = S[i];
      var small = e[0] < 2097152; // value < 2^53: a number can carry it
      if (wide || small) {
        var n = wide ? p.writeSdnvU64(buf, 1, buf.length, e[0], e[1]) : p.writeSdnv(buf, 1, buf.length, e[0] * 4294967296 + e[1]);
        check("sdnv write " + e[2], n > 0 ? hex(buf, 1, n - 1) : "err " + n, e[2]);
        check("sdnv length " + e[2], wide ? p.sdnvLengthU64(e[0], e[1]) : p.sdnvLength(e[0] * 4294967296 + e[1]), e[2].length / 2);
      }
      var src = bytes(e[2]);
      var r = p.readSdnv(src, 0, src.length, u);
      check("sdnv read " + e[2], r + ":" + (u.hi >>> 0) + ":" + (u.lo >>> 0), src.length + ":" + e[0] + ":" + e[1]);
    }
    var padded = bytes("808001");
    check("sdnv read padded 80 80 01", p.readSdnv(padded, 0, 3, u) + ":" + u.lo, "3:1");
    var over = bytes("82808080808080808000");
    check("sdnv 2^64 rejected", p.readSdnv(over, 0, over.length, u) < 0, true);
    var trunc = bytes("81");
    check("sdnv truncated rejected", p.readSdnv(trunc, 0, 1, u) < 0, true);
  }

  // CRC-32C (RFC 3720 B.4 and the check value): wire octets, least significant first
  if (want("crc")) {
    var seq = new Uint8Array(32), rev = new Uint8Array(32);
    for (var k = 0; k < 32; k++) {
      seq[k] = k;
      rev[k] = 31 - k;
    }
    var C = [
      ["empty", new Uint8Array(0), "00000000"],
      ["123456789", ascii("123456789"), "839206e3"],
      ["32 x 00", filled(0, 32), "aa36918a"],
      ["32 x ff", filled(255, 32), "43aba862"],
      ["00..1f", seq, "4e79dd46"],
      ["1f..00", rev, "5cdb3f11"],
      ["iSCSI read(10)", bytes("01c000000000000000000000000000001400000000000400000000140000001828000000000000000200000000000000"), "563a96d9"],
      ["a", ascii("a"), "3043d0c1"],
      ["quick brown fox", ascii("The quick brown fox jumps over the lazy dog"), "04046222"],
      ["Hello, world", ascii("Hello, world"), "3914ca5b"],
    ];
    var crc = new p.Crc32c();
    for (var c = 0; c < C.length; c++) check("crc32c " + C[c][0], digestHex(crc, C[c][1]), C[c][2]);
    // split feeding
    var msg = ascii("The quick brown fox jumps over the lazy dog");
    for (var cut = 0; cut <= msg.length; cut += 7) {
      crc.reset();
      crc.update(msg, 0, cut);
      crc.update(msg, cut, msg.length - cut);
      var o = new Uint8Array(4);
      crc.finish(o, 0);
      check("crc32c split at " + cut, hex(o, 0, 4), "04046222");
    }
  }

  // MD5 (RFC 1321 A.5)
  if (want("md5")) {
    var M = PIBKIT_DIGEST_VECTORS.md5;
    var md5 = new p.Md5();
    for (var m = 0; m < M.length; m++) {
      var mt = repeat(M[m][0], M[m][1]);
      check("md5 '" + mt.slice(0, 20) + "'", digestHex(md5, ascii(mt)), M[m][2]);
    }
  }

  // SHA-1 (RFC 3174 §7.3)
  if (want("sha1")) {
    var H = PIBKIT_DIGEST_VECTORS.sha1;
    var sha = new p.Sha1();
    for (var h = 0; h < H.length; h++) {
      var ht = repeat(H[h][0], H[h][1]);
      check("sha1 '" + ht.slice(0, 20) + "'", digestHex(sha, ascii(ht)), H[h][2]);
    }
    // TEST3: 1,000,000 x "a", fed in 1000-octet pieces (no 1 MB buffer on a device)
    var chunk = filled(97, 1000);
    sha.reset();
    for (var t = 0; t < 1000; t++) sha.update(chunk, 0, 1000);
    var so = new Uint8Array(20);
    sha.finish(so, 0);
    check("sha1 TEST3 1e6 x a", hex(so, 0, 20), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  }

  // HMAC-SHA1 (RFC 2202) and the NULL key (RFC 5327 §2.1), full and 10-octet
  if (want("hmac")) {
    var k4 = new Uint8Array(25);
    for (var q = 0; q < 25; q++) k4[q] = q + 1;
    var HM = [
      [filled(0x0b, 20), ascii("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00"],
      [ascii("Jefe"), ascii("what do ya want for nothing?"), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"],
      [filled(0xaa, 20), filled(0xdd, 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"],
      [k4, filled(0xcd, 50), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"],
      [filled(0x0c, 20), ascii("Test With Truncation"), "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"],
      [filled(0xaa, 80), ascii("Test Using Larger Than Block-Size Key - Hash Key First"), "aa4ae5e15272d00e95705637ce8a3b55ed402112"],
      [filled(0xaa, 80), ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"), "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"],
    ];
    var full = new p.HmacSha1(20), short = new p.HmacSha1(10);
    for (var x = 0; x < HM.length; x++) {
      full.setKey(HM[x][0], 0, HM[x][0].length);
      short.setKey(HM[x][0], 0, HM[x][0].length);
      check("hmac rfc2202 #" + (x + 1), digestHex(full, HM[x][1]), HM[x][2]);
      check("hmac-80 rfc2202 #" + (x + 1), digestHex(short, HM[x][1]), HM[x][2].slice(0, 20));
    }
    var nk = p.nullKey();
    check("NULL key", hex(nk, 0, nk.length), "c37b7e6492584340bed12207808941155068f738");
    var NK = [
      ["", "01e54e5e8c6287eeeeacfdd7d205589f201d3a1a"],
      ["abc", "769a5a91157df9436f836eb659123d437e7a9a1d"],
      ["123456789", "08bbc420ca6d6d6f05b115f82bf4341a444c377e"],
      ["Hello, world", "e5f26a1575359f90de3e543098beff16ffff2c18"],
    ];
    full.setKey(nk, 0, nk.length);
    for (var y = 0; y < NK.length; y++) check("hmac NULL key '" + NK[y][0] + "'", digestHex(full, ascii(NK[y][0])), NK[y][1]);
    check("hmac NULL key 32 x 00", digestHex(full, filled(0, 32)), "7b0b1d0034042f67c0bbbbdb08d36f6bce0b2094");
  }

  // end to end: example 1 (Profile R) and example 2 (fragment + EID reference)
  if (want("pib")) {
    var E = [
      [3, "crc32", PIB_53.crc32],
      [2, "md5", PIB_53.md5],
      [1, "hmac-null", PIB_53.hmac],
    ];
    var input = bytes(PIB_PRIMARY + PIB_PAYLOAD);
    var signer = new p.Signer(8, 8);
    var verifier = new p.Verifier(8, 8, 4);
    var out = new Uint8Array(256);
    for (var s = 0; s < E.length; s++) {
      var kind = E[s][0], name = E[s][1], exp = E[s][2];
      if (kind === 2 && !want("md5")) continue;
      if (kind === 1 && !want("hmac")) continue;
      if (kind === 3 && !want("crc")) continue;
      var len = signer.sign(input, 0, input.length, out, 0, out.length, kind, 0);
      check("sign example 1 " + name, len > 0 ? hex(out, 0, len) : "err " + len, exp);
      var wire = bytes(exp);
      var rv = verifier.verifyAll(wire, 0, wire.length);
      check("verify example 1 " + name, (rv >= 0) + ":" + verifier.count + ":" + verifier.verdict[0], "true:1:0");
      // one flipped payload bit must be a mismatch (verdict 1)
      wire[wire.length - 3] ^= 0x10;
      verifier.verifyAll(wire, 0, wire.length);
      check("verify example 1 " + name + " corrupted", verifier.count + ":" + verifier.verdict[0], "1:1");
    }
    // Streaming (pib-path+stream): the signed examples, and all three PIBs in one bundle,
    // pushed in pieces of 1, 3 and 7 octets give what verifyAll gives; then a flipped bit.
    if (want("stream")) {
      var stv = new p.StreamVerifier(8, 8, 4, 256, 3);
      var three = input, tl = input.length;
      for (var t3 = 0; t3 < E.length; t3++) {
        var tout = new Uint8Array(tl + 48);
        tl = signer.sign(three, 0, tl, tout, 0, tout.length, E[t3][0], 0);
        three = tout;
      }
      var cases = [["example 1 crc32", bytes(PIB_53.crc32)], ["example 1 md5", bytes(PIB_53.md5)], ["example 1 hmac-null", bytes(PIB_53.hmac)], ["three PIBs", three.subarray(0, tl)]];
      for (var c = 0; c < cases.length; c++) {
        var sw = cases[c][1];
        for (var flip = 0; flip < 2; flip++) {
          if (flip) sw[sw.length - 3] ^= 0x10;
          var wr = verifier.verifyAll(sw, 0, sw.length), want1 = wr + ":" + hex(verifier.verdict, 0, verifier.count);
          var sizes = [1, 3, 7];
          for (var z = 0; z < sizes.length; z++) {
            stv.begin();
            for (var so = 0; so < sw.length; so += sizes[z]) stv.push(sw, so, sw.length - so < sizes[z] ? sw.length - so : sizes[z]);
            var sr = stv.end();
            check("stream " + cases[c][0] + (flip ? " corrupted" : "") + " in pieces of " + sizes[z], sr + ":" + hex(stv.verdict, 0, stv.count), want1);
          }
        }
      }
      // In-place signing: each example stored with its result octets zero (the PIB's last
      // octets, just before the 15-octet payload block), pushed one octet at a time and
      // sealed with seal()'s result is the published example; pushed whole it did not
      // stream, and seal gives NoPib (-49).
      for (var e1 = 0; e1 < E.length; e1++) {
        var sealed = bytes(E[e1][2]), rsize = [10, 16, 4][E[e1][0] - 1];
        var rat = sealed.length - 15 - rsize;
        for (var zi = 0; zi < rsize; zi++) sealed[rat + zi] = 0;
        stv.begin();
        for (var so1 = 0; so1 < sealed.length; so1++) stv.push(sealed, so1, 1);
        var er = stv.end(), sn = stv.seal(0, sealed, rat);
        check("seal example 1 " + E[e1][1] + " in place", er + ":" + sn + ":" + hex(sealed, 0, sealed.length), "1:" + rsize + ":" + E[e1][2]);
        stv.begin();
        stv.push(sealed, 0, sealed.length);
        check("seal example 1 " + E[e1][1] + " pushed whole", stv.end() + ":" + stv.seal(0, sealed, rat), "1:-49");
      }
    }
    // A node's state: Signer and KeyTable sharing the Verifier's digests and Bundle (the size
    // report's start-up). Interleaved keyed / NULL-key / unkeyed signing and key
    // installs must give the same octets as independent objects.
    if (want("keys")) {
      var sv = new p.Verifier(9, 8, 4), ss = new p.Signer(8, 8, sv), skt = new p.KeyTable(4, 8, sv);
      // the ground library's Signer shares the Verifier's Bundle too (the on-board one has none to share)
      if (sv.bundle !== undefined) check("shared signer uses the verifier's bundle (9 blocks)", String(ss.bundle === sv.bundle), "true");
      var ikt = new p.KeyTable(4, 8), isg = new p.Signer(8, 8);
      var key7 = filled(0x5a, 20), master = filled(0x33, 20), nonce = ascii("pass 42");
      check("shared key table install", skt.install(7, key7, 0, 20) + ":" + ikt.install(7, key7, 0, 20), "0:0");
      check("shared key table derive", skt.installMaster(8, master, 0, 20) + ":" + skt.installDerived(9, 8, nonce, 0, nonce.length) + ":" +
        ikt.installMaster(8, master, 0, 20) + ":" + ikt.installDerived(9, 8, nonce, 0, nonce.length), "0:0:0:0");
      ss.keys = skt; sv.keys = skt; isg.keys = ikt;
      var out2 = new Uint8Array(256);
      var order = [[1, 7], [1, 0], [3, 0], [1, 9], [2, 0], [1, 0]];
      for (var o = 0; o < order.length; o++) {
        var ok = order[o][0], kid = order[o][1];
        if (ok === 2 && !want("md5")) continue;
        if (ok === 3 && !want("crc")) continue;
        var l1 = ss.sign(input, 0, input.length, out, 0, out.length, ok, kid);
        var l2 = isg.sign(input, 0, input.length, out2, 0, out2.length, ok, kid);
        check("shared signer kind " + ok + " key " + kid, l1 > 0 ? hex(out, 0, l1) : "err " + l1, l2 > 0 ? hex(out2, 0, l2) : "err " + l2);
        var sr = sv.verifyAll(out, 0, l1);
        check("shared verifier kind " + ok + " key " + kid, sr + ":" + sv.verdict[0], "1:0");
      }
      check("shared signer NULL key after keyed use", hex(out, 0, ss.sign(input, 0, input.length, out, 0, out.length, 1, 0)), E[2][2]);
    }
    if (want("crc")) {
    var frag = bytes(FRAG_46);
    var fr = verifier.verifyAll(frag, 0, frag.length);
    check("verify example 2, fragment + EID reference", (fr >= 0) + ":" + verifier.count + ":" + verifier.verdict[0], "true:1:0");
    }
  }
  // Relay firmware (no Signer): example 1's bundles of this build's suites verify, pass the
  // Relay, and one flipped payload bit makes the Relay discard (draft §3.1).
  if (want("relay")) {
    var R = [["crc32", PIB_53.crc32], ["md5", PIB_53.md5], ["hmac", PIB_53.hmac]];
    var rver = new p.Verifier(8, 8, 4);
    var relay = new p.Relay(new p.Verifier(8, 8, 4), -1);
    for (var ri = 0; ri < R.length; ri++) {
      if (!want("relay-" + R[ri][0])) {
        // a suite this build left out is a foreign PIB (UnknownSuite), never checked
        var rx = bytes(R[ri][1]);
        rver.verifyAll(rx, 0, rx.length);
        check("relay left-out suite " + R[ri][0] + " unknown", rver.count + ":" + rver.verdict[0], "1:2");
        continue;
      }
      var rw = bytes(R[ri][1]);
      var rr = rver.verifyAll(rw, 0, rw.length);
      check("relay verify example 1 " + R[ri][0], (rr >= 0) + ":" + rver.count + ":" + rver.verdict[0], "true:1:0");
      check("relay forwards example 1 " + R[ri][0], relay.check(rw, 0, rw.length), 0);
      rw[rw.length - 3] ^= 0x10;
      rver.verifyAll(rw, 0, rw.length);
      check("relay verify example 1 " + R[ri][0] + " corrupted", rver.count + ":" + rver.verdict[0], "1:1");
      check("relay discards example 1 " + R[ri][0] + " corrupted", relay.check(rw, 0, rw.length), 1);
    }
    if (want("relay-crc32")) {
      var rfrag = bytes(FRAG_46);
      var rfr = rver.verifyAll(rfrag, 0, rfrag.length);
      check("relay verify example 2, fragment + EID reference", (rfr >= 0) + ":" + rver.count + ":" + rver.verdict[0], "true:1:0");
    }
  }
  return { ran: ran, failures: failures };
}

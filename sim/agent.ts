/**
 * The bundle agent that runs ON the simulated device: the application a recorder's
 * processor would run on top of the pibkit firmware library. It builds each image
 * bundle (RFC 5050 primary + payload block), signs it with one PIB per suite under
 * test, and checks bundles with the library's StreamVerifier — nothing else.
 *
 * One source, two places: `agentSource()` is this function's own text, evaluated
 * inside QuickJS after the built firmware file (`dist/generic/pibkit-pib-path+stream+writer.js`,
 * which defines the global `pibkit`) in engine mode; fast mode calls the same function
 * in Node with `src/` as the library. It therefore uses nothing from its module scope:
 * everything comes in through `lib` (the firmware's exports) and `host`.
 *
 * Memory: a bundle never lives in the device's RAM. Images are hundreds of megabytes
 * (draft-irtf-dtnrg-bundle-checksum-02 §3) on a processor with tens of megabytes, so
 * every bundle streams through fixed buffers made once in `init` (the house rule of
 * zero allocation per bundle): one piece buffer, the bundle's header (primary block,
 * PIBs, payload block header), the checking StreamVerifier's window and digest lanes,
 * and the signer's (a one-PIB StreamVerifier on the firmware, the ground StreamSigner
 * in fast mode).
 * Bytes cross between the host's recorder and the firmware's buffers only through the
 * two host functions, a piece at a time, the way a recorder's DMA would move them:
 * `host.read(target, off, srcOff, len)` copies recorder bytes into a firmware buffer,
 * `host.write(source, off, len, dstOff)` hands firmware bytes to the recorder.
 *
 * Signing in place (docs/onboard.md, "Signing in place"): the header is written with
 * every PIB's result octets reserved; then, innermost PIB first (the first suite; RFC
 * 6257 §3.2 LIFO puts the last one nearest the primary block), the bundle as it stands
 * after that suite's signing — the primary block, that PIB and the ones sealed before
 * it, the payload block — streams through a sealing StreamVerifier, whose `seal(0)`
 * gives the new outermost PIB's result. One pass per suite, because under Profile R an
 * outer PIB's canonical form holds the results of the PIBs inside it; and one digest
 * per pass, that suite's: the sealer has room for one PIB, so only the outermost (the
 * one being sealed, nearest the primary block) gets a digest lane. The inner PIBs,
 * sealed by the passes before, are canonicalized into its digest as octets but not
 * checked again (its `end` reports that it could not check them all, TooManyPibs,
 * which signing does not need: `seal` is its answer). A recorder computes each
 * checksum once, and so does this one.
 *
 * Written in the language subset of src/ (docs/design.md: no spread, no
 * destructuring, no closures over loop variables) so it would also run on Espruino.
 */

/** The host functions the agent calls; fast mode and engine mode each provide them. */
export interface AgentHost {
  /** Copies source octets [srcOff, srcOff + len) into target[off…]; returns len. */
  read(target: Uint8Array, off: number, srcOff: number, len: number): number;
  /** Hands source[off, off + len) to the sink at dstOff; returns len. */
  write(source: Uint8Array, off: number, len: number, dstOff: number): number;
}

/** The agent's interface as the host sees it. Numbers only across the boundary. */
export interface Agent {
  /**
   * Allocates the working buffers: pieces of `piece` octets, a header of up to `head`
   * octets, a checker's and a signer's window of `window` octets each, room for `maxPibs`
   * PIBs; 0 or -Err.
   */
  init(piece: number, head: number, window: number, maxPibs: number): number;
  /**
   * Builds bundle number `seq` around the `payloadLen` octets the host serves, signs
   * it in place with the suites set by `addSuite` (in that order: the last is nearest
   * the primary block, RFC 6257 §3.2 LIFO), hands the bundle to the host (header at 0,
   * payload after it); returns its length or -Err.
   */
  sign(payloadLen: number, seq: number, ctime: number): number;
  /** Clears the suite list. */
  clearSuites(): void;
  /** Appends a suite kind (SuiteKind) to sign with; key id 0 = NULL key for PIB-HMAC. */
  addSuite(kind: number): void;
  /**
   * Streams a `len`-octet bundle from the host through the StreamVerifier and checks
   * every PIB under `budget` octets (< 0 = unlimited). Returns the PIB count or -Err.
   */
  verify(len: number, budget: number): number;
  /** After verify: kind × 16 + verdict of PIB k (k < count). */
  verdictOf(k: number): number;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Makes the agent. MUST stay self-contained (see the file comment): it is shipped to
 * the engine as source text.
 */
export function makeAgent(lib: any, host: AgentHost): Agent {
  var NO_ROOM = 5;
  var TOO_MANY_PIBS = 48; // Err.TooManyPibs
  function ascii(s: string): Uint8Array {
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0x7f;
    return out;
  }
  var st: any = {
    piece: 0,
    io: null,
    head: null,
    writer: null,
    spec: null,
    verifier: null,
    sealer: null,
    signer: null,
    kinds: null,
    nKinds: 0,
    pibAt: null,
    resAt: null,
  };
  /** Result octets of a suite kind (1 HMAC-SHA1-80, 2 MD5, 3 CRC-32C). */
  function resultSize(kind: number): number {
    return kind === 1 ? 10 : kind === 2 ? 16 : 4;
  }
  /**
   * Writes at b[p…] the PIB of suite `kind` over a payload of `len` octets with its
   * result reserved (zero), the layout Signer.sign writes (docs/onboard.md):
   * 03 01 len | cs-id 05 | params-len [03 01 key-id 0] 04 n 0 payload-length |
   * result-len 05 size result. The ciphersuite id is the kind + 3 (0x04, 0x05, 0x06:
   * draft-irtf-dtnrg-bundle-checksum-02 §3). Returns the offset after it, or -Err.
   */
  function skeleton(b: Uint8Array, p: number, cap: number, kind: number, len: number): number {
    var size = resultSize(kind);
    var range = 1 + lib.sdnvLength(len);
    var params = (kind === 1 ? 3 : 0) + 1 + lib.sdnvLength(range) + range;
    var body = 1 + 1 + lib.sdnvLength(params) + params + lib.sdnvLength(size + 2) + 2 + size;
    if (p + 2 + lib.sdnvLength(body) + body > cap) return -NO_ROOM;
    b[p] = 3; // PIB (RFC 6257 §2.2)
    b[p + 1] = 1; // replicate in every fragment
    p = lib.writeSdnv(b, p + 2, cap, body);
    b[p++] = kind + 3;
    b[p++] = 5; // parameters and result present
    p = lib.writeSdnv(b, p, cap, params);
    if (kind === 1) {
      b[p++] = 3; // key information: key id 0, the published NULL key
      b[p++] = 1;
      b[p++] = 0;
    }
    b[p++] = 4; // content range: offset 0, the whole payload
    p = lib.writeSdnv(b, p, cap, range);
    b[p++] = 0;
    p = lib.writeSdnv(b, p, cap, len);
    p = lib.writeSdnv(b, p, cap, size + 2);
    b[p++] = 5; // the result, reserved
    b[p++] = size;
    for (var i = 0; i < size; i++) b[p++] = 0;
    return p;
  }
  var agent: Agent = {
    init: function (piece: number, head: number, window: number, maxPibs: number): number {
      st.piece = piece;
      st.io = new Uint8Array(piece);
      st.head = new Uint8Array(head);
      st.writer = new lib.BundleWriter();
      st.spec = new lib.PrimarySpec();
      // The draft's mission: an imaging satellite's recorder sending to a ground archive.
      st.spec.dest = ascii("dtn://ground-archive/images");
      st.spec.source = ascii("dtn://satellite/imager");
      st.spec.reportTo = ascii("dtn:none");
      st.spec.custodian = ascii("dtn://satellite/imager");
      st.spec.flags = 0x08; // custody transfer requested (RFC 5050 §4.2)
      st.spec.lifetime.lo = 7 * 86400;
      // one digest lane per PIB (the NULL key is the one candidate of PIB-HMAC)
      st.verifier = new lib.StreamVerifier(4 + maxPibs, 8, maxPibs, window, maxPibs);
      // Signing: the ground library's StreamSigner (fast mode) where there is one, else a
      // sealer with room for one PIB and one lane, the outermost's (see the file comment).
      st.signer = lib.StreamSigner ? new lib.StreamSigner(4 + maxPibs, 8, window) : null;
      // (one suite: the checker has one PIB's room and lanes already, and a second
      // StreamVerifier would cost its own window and digests: 11.9–13.1 KiB in QuickJS)
      st.sealer = st.signer ? null : maxPibs === 1 ? st.verifier : new lib.StreamVerifier(4 + maxPibs, 8, 1, window, 1);
      st.kinds = new Uint8Array(maxPibs);
      st.pibAt = new Uint32Array(maxPibs);
      st.resAt = new Uint32Array(maxPibs);
      st.nKinds = 0;
      return 0;
    },
    clearSuites: function (): void {
      st.nKinds = 0;
    },
    addSuite: function (kind: number): void {
      st.kinds[st.nKinds] = kind;
      st.nKinds++;
    },
    sign: function (payloadLen: number, seq: number, ctime: number): number {
      var h = st.head;
      var cap = h.length;
      var v = st.sealer;
      var io = st.io;
      var j: number, done: number, n = 0, r = 0, c: number;
      st.spec.seq.lo = seq >>> 0;
      st.spec.ctime.lo = ctime >>> 0;
      var primaryEnd = st.writer.writePrimary(h, 0, cap, st.spec);
      if (primaryEnd < 0) return primaryEnd;
      // The PIBs, outermost (the last suite) first, then the payload block's header (RFC 5050 §4.5.2).
      var p = primaryEnd;
      for (j = st.nKinds - 1; j >= 0; j--) {
        st.pibAt[j] = p;
        p = skeleton(h, p, cap, st.kinds[j], payloadLen);
        if (p < 0) return p;
        st.resAt[j] = p - resultSize(st.kinds[j]);
      }
      if (p >= cap) return -NO_ROOM;
      h[p] = 1;
      p = lib.writeSdnv(h, p + 1, cap, 0x08); // last block
      if (p >= 0) p = lib.writeSdnv(h, p, cap, payloadLen);
      if (p < 0) return p;
      var headLen = p;
      var sg = st.signer;
      var from: number;
      if (v) v.budget = -1;
      for (j = 0; j < st.nKinds; j++) {
        // The bundle after suite j's signing: the primary, PIBs j … 0, the payload.
        // The header goes in first, on its own, so the payload always streams.
        // With the ground library's StreamSigner (one digest, its own): the bundle before
        // suite j's signing, without PIB j; its output header holds PIB j's result.
        from = sg ? (j > 0 ? st.pibAt[j - 1] : st.resAt[0] + resultSize(st.kinds[0])) : st.pibAt[j];
        if (sg) sg.begin(st.kinds[j], 0);
        else v.begin();
        r = (sg || v).push(h, 0, primaryEnd);
        if (!r) r = (sg || v).push(h, from, headLen - from);
        for (done = 0; done < payloadLen && !r; done += n) {
          n = payloadLen - done < st.piece ? payloadLen - done : st.piece;
          host.read(io, 0, done, n);
          // the first pass also stores the payload after the header
          if (j === 0) host.write(io, 0, n, headLen + done);
          r = (sg || v).push(io, 0, n);
        }
        if (sg) {
          c = sg.end();
          if (r < 0) return r;
          if (c < 0) return c;
          // (in its output PIB j follows the primary block, the outer PIBs are not there yet)
          c = st.resAt[j] - st.pibAt[j] + primaryEnd;
          for (n = 0; n < resultSize(st.kinds[j]); n++) h[st.resAt[j] + n] = sg.win[c + n];
          continue;
        }
        // (past the first pass end is -TooManyPibs: the inner PIBs have no lane to be checked by; any other failure stands)
        c = v.end();
        if (r < 0) return r;
        if (c < 0 && (j === 0 || c !== -TOO_MANY_PIBS)) return c;
        c = v.seal(0, h, st.resAt[j]);
        if (c < 0) return c;
      }
      host.write(h, 0, headLen, 0);
      return headLen + payloadLen;
    },
    verify: function (len: number, budget: number): number {
      var v = st.verifier;
      var r = 0;
      var n = 0;
      v.budget = budget;
      v.begin();
      for (var done = 0; done < len && !r; done += n) {
        n = len - done < st.piece ? len - done : st.piece;
        host.read(st.io, 0, done, n);
        r = v.push(st.io, 0, n);
      }
      return v.end();
    },
    verdictOf: function (k: number): number {
      return st.verifier.kind[k] * 16 + st.verifier.verdict[k];
    },
  };
  return agent;
}

/** The agent as source text for an engine: an expression that evaluates to makeAgent. */
export function agentSource(): string {
  return "(" + makeAgent.toString() + ")";
}

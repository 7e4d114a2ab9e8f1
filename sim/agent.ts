/**
 * The bundle agent that runs ON the simulated device: the application a recorder's
 * processor would run on top of the pibkit firmware library. It builds each image
 * bundle (RFC 5050 primary + payload block), signs it with one PIB per suite under
 * test, and checks bundles with the library's Verifier — nothing else.
 *
 * One source, two places: `agentSource()` is this function's own text, evaluated
 * inside QuickJS after the built firmware file (`dist/generic/pibkit-pib-path+writer.js`, which
 * defines the global `pibkit`) in engine mode; fast mode calls the same function in
 * Node with `src/` as the library. It therefore uses nothing from its module scope:
 * everything comes in through `lib` (the firmware's exports) and `host`.
 *
 * Memory: all buffers and library objects are made once in `init` (the house rule of
 * zero allocation per bundle). Bytes cross between the host's recorder and the
 * firmware's buffers only through the two host functions, in chunks, the way a
 * recorder's DMA would move them: `host.read(target, off, srcOff, len)` copies
 * recorder bytes into a firmware buffer, `host.write(source, off, len)` hands firmware
 * bytes to the recorder at the same offset.
 *
 * Written in the language subset of src/ (docs/design.md: no spread, no
 * destructuring, no closures over loop variables) so it would also run on Espruino.
 */

/** The host functions the agent calls; fast mode and engine mode each provide them. */
export interface AgentHost {
  read(target: Uint8Array, off: number, srcOff: number, len: number): number;
  write(source: Uint8Array, off: number, len: number): number;
}

/** The agent's interface as the host sees it. Numbers only across the boundary. */
export interface Agent {
  /** Allocates working buffers for bundles up to `capacity` octets; 0 or -Err. */
  init(capacity: number, maxPibs: number): number;
  /**
   * Builds bundle number `seq` around the `payloadLen` octets the host serves, signs
   * it with the suites set by `setSuite` (in that order: the last is nearest the
   * primary block, RFC 6257 §3.2 LIFO), hands the bundle to the host; returns its
   * length or -Err.
   */
  sign(payloadLen: number, seq: number, ctime: number): number;
  /** Clears the suite list. */
  clearSuites(): void;
  /** Appends a suite kind (SuiteKind) to sign with; key id 0 = NULL key for PIB-HMAC. */
  addSuite(kind: number): void;
  /**
   * Pulls a `len`-octet bundle from the host and checks every PIB with the library's
   * Verifier under `budget` octets (< 0 = unlimited). Returns the PIB count or -Err.
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
  var CHUNK = 16384;
  var NO_ROOM = 5;
  function ascii(s: string): Uint8Array {
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0x7f;
    return out;
  }
  var st: any = {
    cap: 0,
    buf: null,
    out: null,
    writer: null,
    spec: null,
    signer: null,
    verifier: null,
    kinds: null,
    nKinds: 0,
  };
  function pull(target: Uint8Array, off: number, len: number): void {
    for (var done = 0; done < len; done += CHUNK) {
      var n = len - done < CHUNK ? len - done : CHUNK;
      host.read(target, off + done, done, n);
    }
  }
  function push(source: Uint8Array, len: number): void {
    for (var done = 0; done < len; done += CHUNK) {
      var n = len - done < CHUNK ? len - done : CHUNK;
      host.write(source, done, n);
    }
  }
  var agent: Agent = {
    init: function (capacity: number, maxPibs: number): number {
      st.cap = capacity;
      st.buf = new Uint8Array(capacity);
      st.out = new Uint8Array(capacity);
      st.writer = new lib.BundleWriter();
      st.spec = new lib.PrimarySpec();
      // The draft's mission: an imaging satellite's recorder sending to a ground archive.
      st.spec.dest = ascii("dtn://ground-archive/images");
      st.spec.source = ascii("dtn://satellite/imager");
      st.spec.reportTo = ascii("dtn:none");
      st.spec.custodian = ascii("dtn://satellite/imager");
      st.spec.flags = 0x08; // custody transfer requested (RFC 5050 §4.2)
      st.spec.lifetime.lo = 7 * 86400;
      st.signer = new lib.Signer(4 + maxPibs, 8);
      st.verifier = new lib.Verifier(4 + maxPibs, 8, maxPibs);
      st.kinds = new Uint8Array(maxPibs);
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
      var buf = st.buf;
      var cap = st.cap;
      st.spec.seq.lo = seq >>> 0;
      st.spec.ctime.lo = ctime >>> 0;
      var p = st.writer.writePrimary(buf, 0, cap, st.spec);
      if (p < 0) return p;
      // Payload block (RFC 5050 §4.5.2), last block, its data pulled from the recorder.
      if (p >= cap) return -NO_ROOM;
      buf[p] = 1;
      p = lib.writeSdnv(buf, p + 1, cap, 0x08);
      if (p >= 0) p = lib.writeSdnv(buf, p, cap, payloadLen);
      if (p < 0) return p;
      if (payloadLen > cap - p) return -NO_ROOM;
      pull(buf, p, payloadLen);
      var end = p + payloadLen;
      for (var k = 0; k < st.nKinds; k++) {
        var n = st.signer.sign(st.buf, 0, end, st.out, 0, cap, st.kinds[k], 0);
        if (n < 0) return n;
        var t = st.buf;
        st.buf = st.out;
        st.out = t;
        end = n;
      }
      push(st.buf, end);
      return end;
    },
    verify: function (len: number, budget: number): number {
      if (len > st.cap) return -NO_ROOM;
      pull(st.buf, 0, len);
      st.verifier.budget = budget;
      return st.verifier.verifyAll(st.buf, 0, len);
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

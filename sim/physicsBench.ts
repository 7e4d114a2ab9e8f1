/**
 * Cost of the physics alone (orbit, upsets, recorder, EDAC) at flight scale: a whole
 * recorder of the scenario's flight size, imaged into and downlinked from for N days.
 * A benchmark, not a test (timings are never pass/fail):
 *
 *   npx vite-node sim/physicsBench.ts -- [scenario] [days...]
 *   e.g. npx vite-node sim/physicsBench.ts -- leo-ssr-2008 1 2 4
 */
import { DAY, Orbit } from "./orbit.js";
import { Recorder } from "./recorder.js";
import { Rng } from "./rng.js";
import { loadScenario } from "./scenario.js";

function run(name: string, days: number, edac: boolean): { ms: number; events: number; images: number; bytes: number } {
  const s = loadScenario(name);
  const orbit = new Orbit(s);
  const size = s.flight.recorderBytes.value;
  const image = new Uint8Array(s.flight.imageBytes.value);
  for (let i = 0; i < image.length; i += 4096) image[i] = i & 255;
  const out = new Uint8Array(image.length);
  const t0 = performance.now();
  const rec = new Recorder(s, size, new Rng(1), { edac, orbit });
  const perDay = s.imaging.imagingPassesPerDay.value * s.imaging.imagesPerPass.value;
  const held: number[] = [];
  let images = 0, bytes = 0;
  for (let d = 0; d < days; d++) {
    // image at evenly spaced times, downlink everything held at each pass start
    const passes = orbit.passes(d * DAY, (d + 1) * DAY);
    const shots: number[] = [];
    for (let k = 0; k < perDay; k++) shots.push(d * DAY + (k + 0.5) * DAY / perDay);
    const events = [...shots.map((t) => ({ t, pass: false })), ...passes.map((p) => ({ t: p[0], pass: true }))]
      .sort((a, b) => a.t - b.t);
    for (const e of events) {
      if (e.pass) {
        while (held.length) { const id = held.shift()!; rec.advance(e.t); rec.read(id, out); bytes += rec.length(id); rec.release(id); }
      } else {
        const id = rec.write(image, e.t);
        if (id >= 0) { held.push(id); images++; }
      }
    }
  }
  rec.advance(days * DAY);
  return { ms: performance.now() - t0, events: rec.stats().events, images, bytes };
}

const args = process.argv.slice(2).filter((a) => a !== "--");
const name = args[0] ?? "leo-ssr-2008";
const daysList = args.length > 1 ? args.slice(1).map(Number) : [1, 2, 4];
const s = loadScenario(name);
console.log(`${name}: flight recorder ${s.flight.recorderBytes.value} bytes, images ${s.flight.imageBytes.value} bytes`);
for (const edac of [false, true]) {
  for (const days of daysList) {
    const r = run(name, days, edac);
    console.log(`edac=${edac ? "on " : "off"} days=${days}: ${r.ms.toFixed(0)} ms, ${r.events} upset events, ${r.images} images written, ${(r.bytes / 1e9).toFixed(2)} GB read`);
  }
}

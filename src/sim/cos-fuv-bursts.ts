/**
 * Detector bursts of the simulated FUV exposure and the BRSTTAB calcos screens them with (its real columns:
 * SEGMENT, MEDIAN_N, DELTA_T, DELTA_T_HIGH, MEDIAN_DT, BURST_MIN, STDREJ, SOURCE_FRAC as float32, MAX_ITER,
 * HIGH_RATE). One large burst (far above ten times the median background) and one small one (about twice the
 * background for a few seconds) per segment, spread over the active area.
 */
import { FitsWriter, type Header } from "../fits/index.js";
import { FUV_SEGMENTS, type FuvSegment } from "./cos-fuv-layout.js";
import type { Random } from "./random.js";

export const FUV_BURSTS: { start: number; stop: number; rate: number }[] = [
  { start: 60.3, stop: 63.1, rate: 6000 },
  { start: 201.5, stop: 207.5, rate: 450 },
];

export interface EventPart {
  t: Float64Array;
  x: Int16Array;
  y: Int16Array;
  p: Uint8Array;
}

/** The burst events within [start, stop), uniform over the active area. */
export function burstEvents(
  random: Random,
  area: { low: number; high: number; left: number; right: number },
  start: number,
  stop: number,
): EventPart {
  const parts = FUV_BURSTS.filter((b) => b.start >= start && b.stop <= stop).map((b) => {
    const n = random.poisson(b.rate * (b.stop - b.start));
    const part = { t: new Float64Array(n), x: new Int16Array(n), y: new Int16Array(n), p: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      part.t[i] = b.start + random.uniform() * (b.stop - b.start);
      part.x[i] = area.left + random.int(area.right - area.left + 1);
      part.y[i] = area.low + random.int(area.high - area.low + 1);
      part.p[i] = Math.min(31, Math.max(0, Math.round(10 + 3 * random.normal())));
    }
    return part;
  });
  return concatParts(parts);
}

export function concatParts(parts: EventPart[]): EventPart {
  const n = parts.reduce((s, p) => s + p.t.length, 0);
  const out = { t: new Float64Array(n), x: new Int16Array(n), y: new Int16Array(n), p: new Uint8Array(n) };
  let k = 0;
  for (const part of parts) {
    out.t.set(part.t, k);
    out.x.set(part.x, k);
    out.y.set(part.y, k);
    out.p.set(part.p, k);
    k += part.t.length;
  }
  return out;
}

export function writeBrsttab(path: string, primary: Header, keys: Header): void {
  const segs = [...FUV_SEGMENTS] as FuvSegment[];
  const floats = (v: number) => Float32Array.from(segs, () => v);
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    const columns = [
      { name: "SEGMENT", format: "4A", data: segs },
      { name: "MEDIAN_N", format: "1E", data: floats(10) },
      { name: "DELTA_T", format: "1E", unit: "s", data: floats(1) },
      { name: "DELTA_T_HIGH", format: "1E", unit: "s", data: floats(0.5) },
      { name: "MEDIAN_DT", format: "1E", unit: "s", data: floats(30) },
      { name: "BURST_MIN", format: "1E", unit: "count /s", data: floats(5) },
      { name: "STDREJ", format: "1E", data: floats(4) },
      { name: "SOURCE_FRAC", format: "1E", data: floats(0.05) },
      { name: "MAX_ITER", format: "1J", data: Int32Array.from(segs, () => 5) },
      { name: "HIGH_RATE", format: "1E", unit: "count /s", data: floats(50000) },
    ];
    writer.writeTable(keys, columns, segs.length);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

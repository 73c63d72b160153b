/**
 * TAGFLASH lamp flashes in a simulated COS NUV TIME-TAG exposure: during each flash the wavecal lamp's lines
 * (the LAMPTAB template of each stripe, which is for the exposure's FPOFFSET) fall on the WCA rows, moved by a drift
 * the truth knows, and the whole spectrum moves across the detector by that drift (the science events too,
 * interpolated between the flashes' middles as calcos interpolates the shifts it finds). The events header gets
 * NUMFLASH and LMP_ONn/LMPOFFn/LMPDURn as the commanded times of real TAGFLASH data.
 */
import type { Header } from "../fits/index.js";
import { lampTemplate, NUV_SIZE, NUV_STRIPE_ROWS, NUV_WCA_OFFSET } from "./cos-references.js";
import type { Random } from "./random.js";

export interface LampFlash {
  /** Commanded lamp on and off, s since EXPSTART. */
  on: number;
  off: number;
  /** Dispersion drift of the spectrum at the flash, pixels (beyond FP_PIXEL_SHIFT). */
  drift: number;
  /** Cross-dispersion offset of the wavecal spectra, pixels. */
  shift2: number;
}

export const COS_NUV_FLASHES: LampFlash[] = [
  { on: 20, off: 32, drift: 1.3, shift2: 0.6 },
  { on: 220, off: 232, drift: 2.4, shift2: 1.1 },
];
/** Lamp events per second in each stripe. */
export const LAMP_RATE = 1500;
const LAMP_XD_SIGMA = 2;

/** The truth drift at time t: linear between the flashes' middles, the first slope before, constant after. */
export function driftAt(t: number, flashes: readonly LampFlash[] = COS_NUV_FLASHES): number {
  const mid = flashes.map((f) => (f.on + f.off) / 2);
  if (flashes.length === 1 || t >= mid[mid.length - 1]) return flashes[flashes.length - 1].drift;
  const n = Math.max(0, mid.findIndex((m, i) => i > 0 && t < m) - 1);
  const slope = (flashes[n + 1].drift - flashes[n].drift) / (mid[n + 1] - mid[n]);
  return flashes[n].drift + (t - mid[n]) * slope;
}

export interface FlashEvents {
  time: Float32Array;
  rawx: Int16Array;
  rawy: Int16Array;
}

/** Lamp events of every flash, in time order. */
export function simulateFlashEvents(random: Random, flashes: readonly LampFlash[] = COS_NUV_FLASHES): FlashEvents {
  const cumulative = [0, 1, 2].map((s) => {
    const c = new Float64Array(NUV_SIZE);
    for (let x = 0, sum = 0; x < NUV_SIZE; x++) c[x] = sum += lampTemplate(s, x);
    return c;
  });
  const time: number[] = [];
  const rawx: number[] = [];
  const rawy: number[] = [];
  for (const flash of flashes) {
    const n = random.poisson(3 * LAMP_RATE * (flash.off - flash.on));
    const t = Array.from({ length: n }, () => flash.on + random.uniform() * (flash.off - flash.on)).sort(
      (a, b) => a - b,
    );
    for (const ti of t) {
      const s = random.int(3);
      const c = cumulative[s];
      const u = random.uniform() * c[NUV_SIZE - 1];
      let lo = 0;
      for (let hi = NUV_SIZE - 1; lo < hi; ) {
        const mid = (lo + hi) >> 1;
        if (c[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      const x = Math.round(lo + random.uniform() - 0.5 + flash.drift);
      const y = Math.round(NUV_STRIPE_ROWS[s] + NUV_WCA_OFFSET + flash.shift2 + LAMP_XD_SIGMA * random.normal());
      if (x < 0 || x >= NUV_SIZE || y < 0 || y >= NUV_SIZE) continue;
      time.push(ti);
      rawx.push(x);
      rawy.push(y);
    }
  }
  return { time: Float32Array.from(time), rawx: Int16Array.from(rawx), rawy: Int16Array.from(rawy) };
}

/** Merge two time-ordered event lists (`a` first among equal times). */
export function mergeEvents(a: FlashEvents, b: FlashEvents): FlashEvents {
  const n = a.time.length + b.time.length;
  const out: FlashEvents = { time: new Float32Array(n), rawx: new Int16Array(n), rawy: new Int16Array(n) };
  for (let k = 0, i = 0, j = 0; k < n; k++) {
    const fromA = j >= b.time.length || (i < a.time.length && a.time[i] <= b.time[j]);
    const [src, idx] = fromA ? [a, i++] : [b, j++];
    out.time[k] = src.time[idx];
    out.rawx[k] = src.rawx[idx];
    out.rawy[k] = src.rawy[idx];
  }
  return out;
}

/** The commanded flash keywords of a TAGFLASH=AUTO events header. */
export function setFlashCards(h: Header, flashes: readonly LampFlash[] = COS_NUV_FLASHES): void {
  h.set("NUMFLASH", flashes.length, { comment: "number of tagflash wavecals" });
  flashes.forEach((f, i) => {
    h.set(`LMP_ON${i + 1}`, f.on, { comment: "lamp turn-on time (s since EXPSTART)" });
    h.set(`LMPOFF${i + 1}`, f.off, { comment: "lamp turn-off time (s since EXPSTART)" });
    h.set(`LMPDUR${i + 1}`, f.off - f.on, { comment: "lamp duration (s)" });
  });
}

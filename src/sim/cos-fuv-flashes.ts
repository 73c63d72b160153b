/**
 * TAGFLASH lamp flashes in a simulated COS FUV TIME-TAG exposure: during each flash the wavecal lamp's lines
 * (each segment's LAMPTAB template) fall on the segment's WCA rows, moved along the dispersion by a drift the
 * truth knows (beyond FP_PIXEL_SHIFT) and across it by a cross-dispersion offset. The science spectrum is not
 * moved (the drift is what calcos measures from the flashes). The events header gets NUMFLASH and
 * LMP_ONn/LMPOFFn/LMPDURn as real TAGFLASH=AUTO data (setFlashCards); LAMPTAB and WCPTAB are G130M/1291.
 */
import { join } from "node:path";
import type { Header } from "../fits/index.js";
import { FUV_SEGMENTS, type FuvSegment, SPECTRUM_ROWS } from "./cos-fuv-layout.js";
import { writeFuvTable } from "./cos-fuv-spectro.js";
import type { LampFlash } from "./cos-nuv-flashes.js";
import type { CosRawEvents } from "./cos-rawtag.js";
import type { Random } from "./random.js";

const FUV_X = 16384;
const FUV_Y = 1024;
/** Within the GTIs of cos-fuv.ts ([0, 130], [150, 280] s). */
export const COS_FUV_FLASHES: LampFlash[] = [
  { on: 20, off: 32, drift: 1.3, shift2: 0.6 },
  { on: 180, off: 192, drift: 2.4, shift2: 1.1 },
];
/** FP_PIXEL_SHIFT of segments A and B (where FPOFFSET 0 puts the lamp spectrum relative to the template). */
export const FUV_FP_PIXEL_SHIFT: Record<FuvSegment, number> = { FUVA: -2.5, FUVB: 1.75 };
const LAMP_RATE = 2500;
const LAMP_XD_SIGMA = 2;
const LINES = 24;

/** The LAMPTAB template of a segment at column x: lines across the active columns on a floor. */
export function fuvLampTemplate(segment: FuvSegment, x: number): number {
  const first = segment === "FUVA" ? 1500 : 1300;
  let v = 1;
  for (let k = 0; k < LINES; k++) {
    const c = first + 560 * k + 41 * ((k * 7) % 5);
    const h = 200 + 700 * (((k * 5 + (segment === "FUVA" ? 1 : 3)) % 7) / 6);
    v += h * Math.exp(-(((x - c) / 2.5) ** 2));
  }
  return v;
}

/** LAMPTAB (both segments, FPOFFSET 0, FP_PIXEL_SHIFT) and WCPTAB (G130M wavecal parameters). */
export function writeFuvWavecalTables(
  dir: string,
  names: { LAMPTAB: string; WCPTAB: string },
  primary: (filetype: string, descrip: string) => Header,
): void {
  const segs = [...FUV_SEGMENTS];
  const intensity = new Float32Array(segs.length * FUV_X);
  segs.forEach((s, r) => {
    for (let x = 0; x < FUV_X; x++) intensity[r * FUV_X + x] = fuvLampTemplate(s, x);
  });
  writeFuvTable(join(dir, names.LAMPTAB), primary("TEMPLATE CAL LAMP SPECTRA TABLE", "synthetic FUV lamp"), "LAMPTAB", [
    { name: "SEGMENT", format: "4A", data: segs },
    { name: "OPT_ELEM", format: "8A", data: segs.map(() => "G130M") },
    { name: "CENWAVE", format: "1J", unit: "angstrom", data: Int32Array.from(segs, () => 1291) },
    { name: "FPOFFSET", format: "1J", data: Int32Array.from(segs, () => 0) },
    {
      name: "FP_PIXEL_SHIFT",
      format: "1D",
      unit: "pixel",
      data: Float64Array.from(segs, (s) => FUV_FP_PIXEL_SHIFT[s]),
    },
    { name: "INTENSITY", format: `${FUV_X}E`, data: intensity },
  ]);
  writeFuvTable(join(dir, names.WCPTAB), primary("WAVECAL PARAMETERS REFERENCE TABLE", "synthetic FUV"), "WCPTAB", [
    { name: "OPT_ELEM", format: "8A", data: ["G130M"] },
    { name: "XC_RANGE", format: "1J", unit: "pixel", data: Int32Array.from([40]) },
    { name: "RESWIDTH", format: "1D", unit: "pixel", data: Float64Array.from([6]) },
    { name: "MAX_TIME_DIFF", format: "1D", unit: "day", data: Float64Array.from([0.067]) },
    { name: "STEPSIZE", format: "1J", unit: "pixel/OSM step", data: Int32Array.from([250]) },
    { name: "XD_RANGE", format: "1J", unit: "pixel", data: Int32Array.from([30]) },
    { name: "BOX", format: "1J", unit: "pixel", data: Int32Array.from([13]) },
  ]);
}

/** The lamp events of every flash on one segment, merged in time order into the segment's raw events. */
export function withFuvFlashes(
  events: CosRawEvents,
  random: Random,
  segment: FuvSegment,
  flashes: readonly LampFlash[] = COS_FUV_FLASHES,
): CosRawEvents {
  const cumulative = new Float64Array(FUV_X);
  for (let x = 0, sum = 0; x < FUV_X; x++) cumulative[x] = sum += fuvLampTemplate(segment, x);
  const lamp: { t: number; x: number; y: number; p: number }[] = [];
  for (const flash of flashes) {
    const n = random.poisson(LAMP_RATE * (flash.off - flash.on));
    for (let i = 0; i < n; i++) {
      const t = flash.on + random.uniform() * (flash.off - flash.on);
      const u = random.uniform() * cumulative[FUV_X - 1];
      let lo = 0;
      for (let hi = FUV_X - 1; lo < hi; ) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      const x = Math.round(lo + random.uniform() - 0.5 + flash.drift);
      const y = Math.round(SPECTRUM_ROWS[segment].wca + flash.shift2 + LAMP_XD_SIGMA * random.normal());
      const p = Math.min(31, Math.max(0, Math.round(12 + 3.5 * random.normal())));
      if (x >= 0 && x < FUV_X && y >= 0 && y < FUV_Y) lamp.push({ t: Math.fround(t), x, y, p });
    }
  }
  lamp.sort((a, b) => a.t - b.t);
  const n = events.time.length + lamp.length;
  const pha = events.pha ?? new Uint8Array(events.time.length);
  const out = { time: new Float32Array(n), rawx: new Int16Array(n), rawy: new Int16Array(n), pha: new Uint8Array(n) };
  for (let k = 0, i = 0, j = 0; k < n; k++) {
    if (j >= lamp.length || (i < events.time.length && events.time[i] <= lamp[j].t)) {
      [out.time[k], out.rawx[k], out.rawy[k], out.pha[k]] = [events.time[i], events.rawx[i], events.rawy[i], pha[i]];
      i++;
    } else {
      [out.time[k], out.rawx[k], out.rawy[k], out.pha[k]] = [lamp[j].t, lamp[j].x, lamp[j].y, lamp[j].p];
      j++;
    }
  }
  return out;
}

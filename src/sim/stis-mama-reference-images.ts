/**
 * The STIS MAMA references the simulator writes beside the CCD ones (stis-mama.ts): a 64 × 64 LFLTFILE that
 * calstis expands, the MLINTAB, the NUV-MAMA's post-SM4 TDCTAB, and a high-res (2048²) PFLTFILE or DARKFILE
 * that calstis bins to the low-res image; all in their real formats.
 */
import { Header } from "../fits/index.js";
import type { DetectorModel } from "./detectors.js";
import { type ChipMaps, HOT_PIXEL_THRESHOLD } from "./maps.js";
import type { Random } from "./random.js";
import { type ImsetPart, referencePrimary, writeImsetFile, writeTableFile } from "./reference-files.js";
import { chipHeader, ref } from "./references-ccd.js";
import { writeStisMlintab } from "./stis-mama-references.js";

/** The low-order flat's size (a 16 × 16 binning of the low-res image). */
const LFLT_SIZE = 64;
/** The NUV-MAMA dark-rate model of the TDCTAB row (counts/s per low-res pixel). */
export const TDC = {
  DATE0: 51000,
  TEMP0: 30,
  A1: 0.0,
  D1: 1000,
  A2: 0.0,
  D2: 1000,
  TA: 1.6e-3,
  TB: 1e-4,
  TC: 0,
} as const;

/** A smooth low-order flat (mean 1): the large-scale sensitivity calstis multiplies into the pixel flat. */
export function lowOrderFlat(random: Random): Float32Array {
  const [ax, ay] = [0.04 * (random.uniform() - 0.5), 0.04 * (random.uniform() - 0.5)];
  const out = new Float32Array(LFLT_SIZE * LFLT_SIZE);
  for (let j = 0; j < LFLT_SIZE; j++) {
    for (let i = 0; i < LFLT_SIZE; i++) {
      const [u, v] = [i / LFLT_SIZE - 0.5, j / LFLT_SIZE - 0.5];
      out[j * LFLT_SIZE + i] = 1 + ax * u + ay * v - 0.03 * (u * u + v * v);
    }
  }
  return out;
}

/** The low-order flat at each low-res pixel, interpolated as calstis expands it (bilinear, clamped at the edges). */
export function expandLowOrder(lflt: Float32Array, n: number): Float32Array {
  const bin = n / LFLT_SIZE;
  const out = new Float32Array(n * n);
  const at = (a: number) => {
    const i = Math.min(Math.max(Math.trunc(a), 0), LFLT_SIZE - 2);
    return { i, q: a - i };
  };
  for (let y = 0; y < n; y++) {
    const b = at((y - (bin - 1) / 2) / bin);
    for (let x = 0; x < n; x++) {
      const a = at((x - (bin - 1) / 2) / bin);
      const v = (k: number, l: number) => lflt[(b.i + l) * LFLT_SIZE + a.i + k]!;
      out[y * n + x] =
        (1 - a.q) * (1 - b.q) * v(0, 0) + a.q * (1 - b.q) * v(1, 0) + (1 - a.q) * b.q * v(0, 1) + a.q * b.q * v(1, 1);
    }
  }
  return out;
}

export function writeExtraReferences(c: { model: DetectorModel; seed: number; dir: string }, lflt: Float32Array) {
  const m = c.model;
  const lfltRef = ref(c, "lfltfile");
  const part: ImsetPart = {
    header: chipHeader(m.chips[0]!, true, "UNITLESS")
      .set("LTM1_1", LFLT_SIZE / 1024)
      .set("LTM2_2", LFLT_SIZE / 1024),
    sci: lflt,
    axes: [LFLT_SIZE, LFLT_SIZE],
    err: 0.001,
    dq: 0,
  };
  const keys = new Header().set("OPT_ELEM", "MIRROR");
  writeImsetFile(
    lfltRef.path,
    referencePrimary(m, "LOW ORDER FLAT", `Synthetic low-order flat for ${m.detector}`, keys),
    [part],
  );
  const mlin = ref(c, "mlintab");
  writeStisMlintab(mlin.path);
  if (m.detector !== "NUV-MAMA") return [lfltRef, mlin];
  return [lfltRef, mlin, writeTdctab(c)];
}

/** The NUV-MAMA's post-SM4 TDCTAB: one row of the dark-rate model (TDC). */
export function writeTdctab(c: { model: DetectorModel; seed: number; dir: string }) {
  const tdc = ref(c, "tdctab");
  const columns = Object.entries(TDC).map(([name, value]) => ({ name, data: Float64Array.of(value) }));
  writeTableFile(
    tdc.path,
    referencePrimary(c.model, "TIME DEPENDENT DARK", "Synthetic NUV-MAMA dark rate model", new Header()),
    [{ columns }],
  );
  return tdc;
}

/**
 * Rewrites the NUV's PFLTFILE (or the FUV's DARKFILE) in high-res pixels (2048², LTM 2, LTV −0.5), as calstis1
 * bins it to the low-res image: each low-res flat value becomes four of mean equal to it (±1 % checkerboard),
 * each dark rate four quarters, a hot pixel's DQ flag on all four.
 */
export function writeHighRes(
  c: { model: DetectorModel; seed: number; dir: string; spectralElements?: { OPT_ELEM?: string } },
  maps: ChipMaps,
  kind: string,
) {
  const m = c.model;
  const n = maps.chip.sciNx;
  const low = kind === "pfltfile" ? maps.flat : maps.dark;
  const sci = new Float32Array(4 * n * n);
  const dq = new Int16Array(4 * n * n);
  for (let y = 0; y < 2 * n; y++) {
    for (let x = 0; x < 2 * n; x++) {
      const v = low[(y >> 1) * n + (x >> 1)]!;
      sci[y * 2 * n + x] = kind === "pfltfile" ? v * ((x + y) % 2 === 0 ? 1.01 : 0.99) : v / 4;
      if (kind === "darkfile" && v > HOT_PIXEL_THRESHOLD) dq[y * 2 * n + x] = 16;
    }
  }
  const header = chipHeader(maps.chip, true, kind === "pfltfile" ? "UNITLESS" : "COUNTS/S")
    .set("LTV1", -0.5)
    .set("LTV2", -0.5)
    .set("LTM1_1", 2)
    .set("LTM2_2", 2);
  const part: ImsetPart = { header, sci, axes: [2 * n, 2 * n], err: kind === "pfltfile" ? 0.002 : 0.0005, dq };
  const keys = new Header().set("CCDAMP", m.ccdamp);
  if (kind === "pfltfile") keys.set("OPT_ELEM", c.spectralElements?.OPT_ELEM ?? "MIRROR");
  else keys.set("CCDGAIN", m.ccdgain);
  const [filetype, descrip] = kind === "pfltfile" ? ["PIXEL-TO-PIXEL FLAT", "flat"] : ["DARK", "dark (counts/s)"];
  const r = ref(c, kind);
  writeImsetFile(r.path, referencePrimary(m, filetype, `Synthetic high-res ${descrip} for ${m.detector}`, keys), [
    part,
  ]);
}

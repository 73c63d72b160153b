/**
 * WFC3/IR MultiAccum: a ramp of NSAMP reads after a zeroth read (SPARS25 timing). Each read holds the
 * pixel's reset pedestal (the NLINFILE ZSCI), a per-read bias drift seen by the 5-pixel reference
 * border, and the accumulated charge (scene × flat + dark, Poisson, cosmic-ray jumps, full-well
 * clipping; optionally charge collected before the zeroth read, which ZSIGCORR estimates) in DN through
 * the non-linearity that the NLINFILE coefficients undo:
 * measured s with c = s·(1 + NONLINEARITY·s) = linear counts.
 */
import { FitsWriter, Header, type PixelArray } from "../fits/index.js";
import type { ChipExposure, PixelList } from "./ccd.js";
import type { DetectorModel } from "./detectors.js";
import { type Observation, rawExtensionHeader, rawPrimaryHeader } from "./headers.js";
import { BAD_COLUMN_RATE, type ChipMaps } from "./maps.js";
import { Random } from "./random.js";
import { type ReferenceFile, referencePrimary } from "./reference-files.js";
import { type ReferenceContext, ref, writeCcdReferences } from "./references-ccd.js";
import type { Scene } from "./scene.js";

export const BORDER = 5;
export const NONLINEARITY = 1.6e-6;
const N = 1024;
const PEDESTAL = 11000;

/** SPARS25 sample times (s): the zeroth read, then 2.932 s, then every 25 s. */
export function sampleTimes(nsamp: number): number[] {
  return [0, ...Array.from({ length: nsamp }, (_, k) => (k === 0 ? 2.932 : 2.932 + 25 * k))];
}

/** Measured DN for linear counts c (the inverse of c = s(1 + a s)). */
export function measured(c: number): number {
  return c <= 0 ? c : (-1 + Math.sqrt(1 + 4 * NONLINEARITY * c)) / (2 * NONLINEARITY);
}

/** The reset pedestal per raw pixel (DN) for a seed: written as the NLINFILE ZSCI, present in every read. */
function pedestal(seed: number): Float32Array {
  const random = new Random(`pedestal/${seed}`);
  const z = new Float32Array(N * N);
  for (let i = 0; i < z.length; i++) z[i] = PEDESTAL + 250 * random.normal();
  return z;
}

export function writeIrReferences(c: ReferenceContext, nsamp: number): ReferenceFile[] {
  const common = writeCcdReferences(c, ["bpixtab", "ccdtab", "crrejtab", "oscntab", "imphttab"]);
  const { model } = c;
  const map = c.maps[0];
  const times = sampleTimes(nsamp);
  const gain = map.chip.amps[0].gain;
  const irKeys = () =>
    new Header()
      .set("CCDAMP", model.ccdamp)
      .set("CCDGAIN", model.ccdgain, { float: true })
      .set("SAMP_SEQ", "SPARS25")
      .set("SUBTYPE", "FULLIMAG");

  const dark = ref(c, "darkfile");
  const darkPrimary = referencePrimary(
    model,
    "DARK",
    "Synthetic IR dark (DN accumulated since the zeroth read)",
    irKeys(),
  )
    .set("NUMEXPOS", times.length)
    .set("NSAMP", nsamp);
  const imsets = [...times].reverse().map((t, i) => {
    darkPrimary.set(`EXPOS_${i + 1}`, t, { float: true });
    const sci = new Float32Array(N * N);
    forScience((i2, s) => {
      sci[i2] = ((map.dark[s] + (map.badColumns.includes(s % map.chip.sciNx) ? BAD_COLUMN_RATE : 0)) * t) / gain;
    });
    return { sci, samp: times.length - 1 - i, time: t };
  });
  writeIrImsets(dark.path, darkPrimary, imsets, () => placed(new Header().set("BUNIT", "COUNTS")));

  const flat = ref(c, "pfltfile");
  const flatSci = new Float32Array(N * N).fill(1);
  forScience((i, s) => {
    flatSci[i] = map.flat[s];
  });
  const flatKeys = new Header().set("CCDAMP", model.ccdamp).set("FILTER", c.spectralElements.FILTER);
  writeIrImsets(
    flat.path,
    referencePrimary(model, "PIXEL-TO-PIXEL FLAT", "Synthetic IR flat", flatKeys),
    [{ sci: flatSci, samp: 0, time: 0 }],
    () => placed(new Header().set("BUNIT", "UNITLESS")),
  );

  const nlin = ref(c, "nlinfile");
  const primary = referencePrimary(model, "LINEARITY COEFFICIENTS", "Synthetic IR non-linearity", new Header())
    .set("NCOEF", 4, { comment: "number of coefficients" })
    .set("NERR", 4, { comment: "number of error arrays" })
    .set("NEXTEND", 12);
  const writer = new FitsWriter(nlin.path);
  const ext = (name: string, ver: number) => placed(new Header().set("EXTNAME", name).set("EXTVER", ver));
  writer.writeImage(primary);
  [0, NONLINEARITY, 0, 0].forEach((value, k) => {
    writer.writeImage(ext("COEF", k + 1), new Float32Array(N * N).fill(value), [N, N]);
  });
  for (let k = 1; k <= 4; k++) writer.writeConstantImage(ext("ERR", k), 0, [N, N], -32);
  writer.writeConstantImage(ext("DQ", 1), 0, [N, N], 16);
  writer.writeImage(ext("NODE", 1), new Float32Array(N * N).fill(measured(model.fullWell / gain) - 50), [N, N]);
  writer.writeImage(ext("ZSCI", 1), pedestal(c.seed), [N, N]);
  writer.writeConstantImage(ext("ZERR", 1), 5, [N, N], -32);
  writer.close();
  return [...common, dark, flat, nlin];
}

/** The references share the raws' LTV (raw index = science index + LTV), so calwf3 places them at offset 0. */
function placed(h: Header): Header {
  return h.set("LTV1", BORDER, { float: true }).set("LTV2", BORDER, { float: true });
}

/** Calls f(raw index, science index) for every illuminated pixel. */
function forScience(f: (raw: number, sci: number) => void) {
  const n = N - 2 * BORDER;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) f((y + BORDER) * N + x + BORDER, y * n + x);
}

interface IrImset {
  sci: PixelArray;
  samp: number;
  time: number;
  extra?: [string, number, string][];
}

/** NSAMP+1 (or one) imsets of SCI, ERR, DQ, SAMP, TIME; ERR/DQ/SAMP/TIME as constant arrays. */
function writeIrImsets(path: string, primary: Header, imsets: IrImset[], sciHeader: (k: number) => Header) {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary.clone().set("NEXTEND", 5 * imsets.length));
    imsets.forEach((s, i) => {
      const h = (name: string) =>
        sciHeader(i)
          .set("EXTNAME", name)
          .set("EXTVER", i + 1)
          .set("SAMPTIME", s.time, { float: true });
      const sci = h("SCI");
      for (const [k, v, comment] of s.extra ?? []) sci.set(k, v, { comment });
      writer.writeImage(sci, s.sci, [N, N]);
      writer.writeConstantImage(h("ERR"), 0, [N, N], -32);
      writer.writeConstantImage(h("DQ"), 0, [N, N], 16);
      writer.writeConstantImage(h("SAMP"), s.samp, [N, N], 16);
      writer.writeConstantImage(h("TIME"), s.time, [N, N], -32);
    });
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

export interface IrExposureInput {
  model: DetectorModel;
  maps: ChipMaps[];
  scenes: Scene[];
  path: string;
  random: Random;
  seed: number;
  nsamp: number;
  /** Seconds of signal before the zeroth read (0: the zeroth read holds no charge). */
  zeroReadSignalTime?: number;
  observation: (nextend: number, exptime: number, extra?: Observation["extra"]) => Observation;
}

export function simulateIrExposure(input: IrExposureInput) {
  const { model, random, nsamp } = input;
  const map = input.maps[0];
  const rate = input.scenes[0].rate;
  const times = sampleTimes(nsamp);
  const gain = map.chip.amps[0].gain;
  const readNoise = map.chip.amps[0].readNoise / gain;
  const n = N - 2 * BORDER;
  const zero = pedestal(input.seed);
  const electrons = new Float64Array(n * n);
  const crs = cosmicRayJumps(n, model.crRate * times[nsamp], nsamp, times, random.fork("cosmic rays"));
  const saturatedAt = new Uint8Array(n * n);
  const signal = random.fork("signal");
  const noise = random.fork("read noise");
  const reads: Uint16Array[] = [];
  for (let k = 0; k <= nsamp; k++) {
    const dt = k === 0 ? (input.zeroReadSignalTime ?? 0) : times[k] - times[k - 1];
    const drift = 4 * noise.normal();
    const read = new Uint16Array(N * N);
    for (let y = 0; y < N; y++) {
      for (let x = 0; x < N; x++) {
        const i = y * N + x;
        let counts = 0;
        const sx = x - BORDER;
        const sy = y - BORDER;
        if (sx >= 0 && sy >= 0 && sx < n && sy < n) {
          const s = sy * n + sx;
          if (dt > 0) {
            const extra = map.badColumns.includes(sx) ? BAD_COLUMN_RATE : 0;
            electrons[s] += signal.poisson((rate[s] * map.flat[s] + map.dark[s] + extra) * dt);
            for (const hit of crs.byRead[k]?.get(s) ?? []) electrons[s] += hit;
            if (electrons[s] >= model.fullWell) {
              electrons[s] = model.fullWell;
              saturatedAt[s] = 1;
            }
          }
          counts = measured(electrons[s] / gain);
        }
        const dn = zero[i] + drift + counts + readNoise * noise.normal();
        read[i] = dn <= 0 ? 0 : dn >= 65535 ? 65535 : Math.round(dn);
      }
    }
    reads.push(read);
  }
  const exptime = times[nsamp];
  const extra: Observation["extra"] = [
    ["CCDAMP", model.ccdamp, "CCD Amplifier Readout Configuration"],
    ["CCDGAIN", model.ccdgain, "commanded gain of CCD"],
    ["SAMP_SEQ", "SPARS25", "MultiAccum exposure time sequence name"],
    ["NSAMP", nsamp + 1, "number of MULTIACCUM samples"],
    ["SAMPZERO", times[1] - 0.020535, "sample time of the zeroth read (sec)"],
    ["SUBTYPE", "FULLIMAG", "Size/type of IR subarray"],
  ];
  const observation = input.observation(5 * (nsamp + 1), exptime, extra);
  const primary = rawPrimaryHeader(observation);
  const chip = map.chip;
  const writer = new FitsWriter(input.path);
  try {
    writer.writeImage(primary);
    for (let k = nsamp, extver = 1; k >= 0; k--, extver++) {
      const base = { rootname: observation.rootname, model, chip, extver, ra: observation.ra, dec: observation.dec };
      const timing: [string, number, string][] = [
        ["SAMPNUM", k, "MULTIACCUM sample number"],
        ["SAMPTIME", times[k], "total integration time (sec)"],
        ["DELTATIM", k === 0 ? 0 : times[k] - times[k - 1], "sample integration time (sec)"],
      ];
      writer.writeImage(rawExtensionHeader({ ...base, extname: "SCI", bunit: "COUNTS", extra: timing }), reads[k], [
        N,
        N,
      ]);
      writer.writeConstantImage(rawExtensionHeader({ ...base, extname: "ERR", bunit: "COUNTS" }), 0, [N, N], -32);
      writer.writeConstantImage(rawExtensionHeader({ ...base, extname: "DQ", bunit: "UNITLESS" }), 0, [N, N], 16);
      writer.writeConstantImage(rawExtensionHeader({ ...base, extname: "SAMP", bunit: "UNITLESS" }), k, [N, N], 16);
      writer.writeConstantImage(
        rawExtensionHeader({ ...base, extname: "TIME", bunit: "SECONDS" }),
        times[k],
        [N, N],
        -32,
      );
    }
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  const saturated = listOf(saturatedAt, n, () => model.fullWell);
  const chipEvents: ChipExposure["cosmicRays"] = crs.list;
  return {
    lists: {
      cosmicRays: { [chip.ccdchip]: chipEvents },
      saturated: { [chip.ccdchip]: saturated },
      jumpReads: { [chip.ccdchip]: crs.reads },
    },
    events: { ccdchip: chip.ccdchip, cosmicRays: chipEvents, saturated, jumpReads: crs.reads },
  };
}

/** Single-pixel jumps of 500–20000 e- arriving between reads 1 … NSAMP (k = first read that shows it). */
export function cosmicRayJumps(n: number, perMpix: number, nsamp: number, times: number[], random: Random) {
  const count = random.poisson((perMpix * n * n) / 1e6);
  const byRead: Map<number, number[]>[] = Array.from({ length: nsamp + 1 }, () => new Map());
  const xs = new Int32Array(count);
  const ys = new Int32Array(count);
  const values = new Float32Array(count);
  const reads = new Int16Array(count);
  for (let c = 0; c < count; c++) {
    const s = random.int(n * n);
    const t = times[1] + random.uniform() * (times[nsamp] - times[1]);
    const k = times.findIndex((tk) => tk >= t);
    const e = Math.round(random.logUniform(500, 20000));
    const hits = byRead[k].get(s) ?? [];
    hits.push(e);
    byRead[k].set(s, hits);
    xs[c] = s % n;
    ys[c] = Math.floor(s / n);
    values[c] = e;
    reads[c] = k;
  }
  return { byRead, list: { x: xs, y: ys, value: values } as PixelList, reads };
}

export function listOf(flags: Uint8Array, nx: number, value: () => number): PixelList {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (flags[i]) {
      xs.push(i % nx);
      ys.push(Math.floor(i / nx));
    }
  }
  return { x: Int32Array.from(xs), y: Int32Array.from(ys), value: new Float32Array(xs.length).fill(value()) };
}

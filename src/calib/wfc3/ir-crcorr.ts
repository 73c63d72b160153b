/**
 * CRCORR for WFC3/IR (calibration.md §5; hstcal cridcalc.c crrej): every pixel of a band of rows is fitted
 * up the ramp (ir-ramp-fit.ts); the output image holds the count rate, its error, the OR of the samples'
 * DQ (less SATPIXEL; UNSTABLE for high-curvature pixels), the samples used and the integration time. The
 * reads' DQ get DATAREJECT after each hit, DETECTORPROB for spikes and UNSTABLE for curved pixels.
 * Columns outside [x0, x1) keep the last read's values. Algorithms follow hstcal (BSD-3-Clause, AURA).
 *
 * Given `rows` and `out`, a worker fits only those rows of whole images and writes the result and the
 * reads' flags in place (shared memory: the threads share one copy of the ramp and split its rows).
 */
import { WF3_DQ } from "./dq.js";
import { modelledDark } from "./ir-linfit.js";
import { fitRampInto, type PixelRamp, type RampResult } from "./ir-ramp-fit.js";
import { expandPlane, planeAt, type ReadPlane } from "./multiaccum.js";

const { ZEROSIG, SATPIXEL, DATAREJECT, SPIKE, HIGH_CURVATURE, UNSTABLE, DETECTORPROB } = WF3_DQ;

export interface BandRead {
  /** Count rates and their errors (counts without UNITCORR), DQ and TIME, rows of the band only. */
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  time: ReadPlane<Float32Array>;
  samp: ReadPlane<Int16Array>;
}

export interface CrBandInput {
  nx: number;
  ny: number;
  /** Zeroth read first. */
  reads: BandRead[];
  /** Rows fitted: j0 ≤ j < j1 (default: all). */
  rows?: [number, number];
  /** Where the result goes (nx × ny); default: new arrays holding the last read's values. */
  out?: CrImage;
  /**
   * A row counter shared by the workers: each takes the next `blockRows` rows of `rows` until none are
   * left (one task per thread, so the ramp's shared buffers reach each thread once).
   */
  next?: Int32Array;
  blockRows?: number;
  /** Columns fitted: x0 ≤ i < x1 (inside the reference-pixel border). */
  x0: number;
  x1: number;
  meanGain: number;
  /** Rejection threshold (sigma) and the BADINPDQ mask of the CRREJTAB row. */
  thresh: number;
  badinpdq: number;
  /** ZSIGCORR ran: pixels saturated in the first read take the zeroth read's values. */
  zsigDone: boolean;
  sampzero: number;
  /**
   * The reads are count rates (UNITCORR ran; hstcal's BUNIT COUNTS/S): the fit takes rate × TIME. Otherwise
   * they are counts, fitted as they are, and the result goes back to counts (× its TIME), as cridcalc.c does.
   */
  countRates: boolean;
}

export interface CrImage {
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  samp: Int16Array;
  time: Float32Array;
}

export interface CrBandOutput extends CrImage {
  /** The reads' DQ with the rejection flags added, zeroth read first. */
  readDq: Uint16Array[];
  curved: number;
}

export function rejectBand(input: CrBandInput): CrBandOutput {
  const { ny, reads } = input;
  const last = reads[reads.length - 1];
  const image = input.out ?? {
    sci: Float32Array.from(last.sci),
    err: Float32Array.from(last.err),
    dq: Uint16Array.from(last.dq),
    samp: expandPlane(last.samp, last.sci.length, Int16Array),
    time: expandPlane(last.time, last.sci.length, Float32Array),
  };
  const out: CrBandOutput = { ...image, readDq: reads.map((r) => r.dq), curved: 0 };
  const [r0, r1] = input.rows ?? [0, ny];
  const { next, blockRows = 1 } = input;
  if (!next) {
    fitRows(input, out, r0, r1);
    return out;
  }
  for (;;) {
    const j = r0 + Atomics.add(next, 0, 1) * blockRows;
    if (j >= r1) return out;
    fitRows(input, out, j, Math.min(j + blockRows, r1));
  }
}

function fitRows(input: CrBandInput, out: CrBandOutput, j0: number, j1: number): void {
  const { nx, reads } = input;
  const n = reads.length;
  const pixel: PixelRamp = {
    sci: new Float32Array(n),
    err: new Float32Array(n),
    dq: new Uint16Array(n),
    time: new Float32Array(n),
    dark: new Float32Array(n),
    n,
  };
  const fit: RampResult = { rate: 0, err: 0, samp: 0, time: 0 };
  const sci = reads.map((r) => r.sci);
  const err = reads.map((r) => r.err);
  const dqs = reads.map((r) => r.dq);
  const time = reads.map((r) => r.time);
  for (let j = j0; j < j1; j++) {
    for (let i = input.x0; i < input.x1; i++) {
      const k = j * nx + i;
      if (input.zsigDone && dqs[1][k] & SATPIXEL) {
        out.sci[k] = sci[0][k];
        out.err[k] = err[0][k];
        out.dq[k] = dqs[0][k] & ~ZEROSIG;
        out.samp[k] = 1;
        out.time[k] = input.sampzero;
        continue;
      }
      let dqOr = 0;
      for (let s = 0; s < n; s++) {
        const t = planeAt(time[s], k);
        const dq = dqs[s][k] & ~ZEROSIG;
        dqOr |= dq;
        pixel.sci[s] = input.countRates ? sci[s][k] * t : sci[s][k];
        pixel.err[s] = input.countRates ? err[s][k] * t : err[s][k];
        pixel.dq[s] = dq;
        pixel.time[s] = t;
      }
      modelledDark(pixel.time, input.meanGain, pixel.dark);
      fitRampInto(pixel, input.meanGain, input.thresh, input.badinpdq, fit);
      dqOr &= ~SATPIXEL;
      out.sci[k] = input.countRates ? fit.rate : Math.fround(fit.rate) * Math.fround(fit.time);
      out.err[k] = input.countRates ? fit.err : Math.fround(fit.err) * Math.fround(fit.time);
      out.dq[k] = dqOr;
      out.samp[k] = fit.samp;
      out.time[k] = fit.time;
      let flagged = 0;
      for (let s = 0; s < n; s++) flagged |= pixel.dq[s];
      // Most pixels have no hit: nothing to write back to the reads.
      if ((flagged & (DATAREJECT | SPIKE | HIGH_CURVATURE)) === 0) continue;
      for (let s = 0; s < n - 1; s++) if (pixel.dq[s] & DATAREJECT) pixel.dq[s + 1] |= DATAREJECT;
      if (flagged & HIGH_CURVATURE) {
        for (let s = 0; s < n; s++) pixel.dq[s] = (pixel.dq[s] | HIGH_CURVATURE) & ~DATAREJECT;
      }
      if (pixel.dq[n - 1] & HIGH_CURVATURE) {
        out.dq[k] = (dqOr | UNSTABLE) & ~DATAREJECT;
        out.curved++;
      }
      for (let s = 0; s < n; s++) {
        const flags = pixel.dq[s];
        let add = 0;
        if (flags & DATAREJECT) add |= DATAREJECT;
        if (flags & SPIKE) add |= DETECTORPROB;
        if (flags & HIGH_CURVATURE) add |= UNSTABLE;
        if (add) dqs[s][k] |= add;
      }
    }
  }
}

/**
 * calstis6 (do1dx.c, gcrosscor.c) on the orders of a MAMA echelle imset: each order's nominal row (its SPTRCTAB
 * A2CENTER plus SHIFTA2 and the aperture's OFFSET2), the search for it without Lyα windows, the offset analysis
 * (the mean of the orders' offsets, twice cleaned at 2σ; an order whose search failed or was rejected takes the
 * mean), the extraction along the trace at the nominal row (cs6 does not re-interpolate it for an echelle), the
 * background averaged twice over 31 columns, wavelengths at the found row with the order's number, and the
 * absolute flux without the blaze shift (the tables carry none). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { extractSpectrum } from "./x1d-extract.js";
import {
  extractionBox,
  finishedRow,
  NOT_SERIOUS,
  type X1dExposure,
  type X1dRow,
  type X1dTables,
} from "./x1d-spectrum.js";
import { crossCorrelate, traceAt } from "./x1d-trace.js";

/** SmoothBack's running average for a MAMA echelle (OPR 46279). */
const ECHELLE_BOXCAR = 31;
/** gcrosscor.c's rejection of an order's offset, in standard deviations. */
const REJECTION = 2;

/** The order's nominal trace row (zero-indexed reference rows), as AddOffsets6 and InterpTrace6 make it. */
export function echelleNominalRow(e: X1dExposure, t: X1dTables): number {
  const apertureOffset = t.aperture.offset[1] / (e.cd[1] * 3600);
  return traceAt(t.traces, t.traces[0].a2center + e.shifta2 + apertureOffset).a2center;
}

/**
 * The orders cs6 extracts (do1dx.c, gcrosscor.c): those whose nominal row falls on the image (truncated to a whole
 * image row), in order, stopping at the first one off it after one on it (the orders run off the detector).
 */
export function ordersOnDetector<T>(orders: readonly T[], e: X1dExposure, tablesOf: (order: T) => X1dTables): T[] {
  const kept: T[] = [];
  for (const order of orders) {
    const row = Math.trunc(echelleNominalRow(e, tablesOf(order)) * e.lt.ltm[1] + e.lt.ltv[1]);
    const on = row >= 0 && row < e.image.ny;
    if (on) kept.push(order);
    else if (kept.length > 0) break;
  }
  return kept;
}

/** CrossCorr of one order with no Lyα window: its offset from the nominal row, undefined when it fails. */
export function searchOrder(e: X1dExposure, t: X1dTables): number | undefined {
  const search = {
    nominal: echelleNominalRow(e, t),
    maxsearch: t.extraction.MAXSRCH,
    sdqflags: e.sdqflags & ~NOT_SERIOUS,
    avoid: [0, 0] as [number, number],
    threshold: 0,
  };
  return crossCorrelate(e.image, t.traces, { ...e.lt, ...search });
}

/**
 * gcrosscor.c's average: the mean of the offsets found, an offset further than 2σ from it rejected, twice; the
 * offset each order is extracted at (its own, or the mean when its search failed or was rejected).
 */
export function globalOffsets(found: readonly (number | undefined)[]): { mean: number; offsets: number[] } {
  const rejected = found.map((v) => v === undefined);
  const data = found.map((v) => v ?? 0);
  const clean = (): number => {
    let [sum, squares, n] = [0, 0, 0];
    data.forEach((v, i) => {
      if (rejected[i]) return;
      sum += v;
      squares += v * v;
      n++;
    });
    if (n < 2) return 0;
    const variance = (squares - (sum * sum) / n) / (n - 1);
    const sigma = variance > 0 ? Math.sqrt(variance) : 0;
    const mean = sum / n;
    data.forEach((v, i) => {
      if (Math.abs(v - mean) > sigma * REJECTION) rejected[i] = true;
    });
    [sum, n] = [0, 0];
    data.forEach((v, i) => {
      if (rejected[i]) return;
      sum += v;
      n++;
    });
    return sum / n;
  };
  clean();
  const mean = clean();
  return { mean, offsets: data.map((v, i) => (rejected[i] ? mean : v)) };
}

/**
 * cs6's BoxcarFilter in average mode, with its quirks: the first window sums columns 0 … w/2 − 1, the next
 * column added is w/2 + 1 (w/2 is never added but is subtracted later), and the count follows the same steps.
 */
export function boxcarAverage(input: Float32Array, width: number): Float32Array {
  const array = Float32Array.from(input);
  const out = new Float32Array(input.length);
  const size = input.length;
  let sum = 0;
  let npts = 0;
  let w2 = Math.trunc(width / 2);
  for (let i = 0; i < size; i++) {
    if (i === 0) {
      for (let j = 0; j < w2; j++) {
        sum += array[j];
        npts++;
      }
    } else {
      w2++;
      if (w2 < size) {
        sum += array[w2];
        npts++;
      }
      const w1 = w2 - width;
      if (w1 > 0) {
        sum -= array[w1 - 1];
        npts--;
      }
    }
    out[i] = sum / npts;
  }
  return out;
}

/** One order's x1d row, extracted `offset` rows from its nominal trace row. */
export function extractEchelleOrder(e: X1dExposure, t: X1dTables, sporder: number, offset: number): X1dRow {
  const nominal = echelleNominalRow(e, t);
  const a2center = nominal + offset;
  const spectrum = extractSpectrum(e.image, traceAt(t.traces, nominal), a2center, {
    ...e.lt,
    box: extractionBox(e, t),
    sdqflags: 0,
    exptime: e.exptime,
  });
  spectrum.background = boxcarAverage(boxcarAverage(spectrum.background, ECHELLE_BOXCAR), ECHELLE_BOXCAR);
  return finishedRow(e, t, spectrum, { a2center, offset, sporder });
}

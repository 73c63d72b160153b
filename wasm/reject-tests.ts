// AssemblyScript: the rejections' per-row tests (see reject-kernels.ts): rates, thresholds, HIT and SPILL marks.
import { EXCLUDE, HIT, SPILL } from "./reject-flags";

/** rates[i] = (sci[i] − sky) / efac. */
export function loadRates(sci: usize, rates: usize, n: i32, sky: f32, efac: f32): void {
  const vsky = f32x4.splat(sky);
  const vefac = f32x4.splat(efac);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (i as usize) << 2;
    v128.store(rates + o, f32x4.div(f32x4.sub(v128.load(sci + o), vsky), vefac));
  }
  for (; i < n; i++) {
    const o = (i as usize) << 2;
    store<f32>(rates + o, (load<f32>(sci + o) - sky) / efac);
  }
}

/** ACSREJ's SPILL threshold of each pixel: σ² ERR² / EXPTIME². */
export function spillFromErrors(err: usize, spill: usize, n: i32, sig2: f32, exp2n: f32): void {
  const vsig2 = f32x4.splat(sig2);
  const vexp2 = f32x4.splat(exp2n);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (i as usize) << 2;
    const e = v128.load(err + o);
    v128.store(spill + o, f32x4.div(f32x4.mul(vsig2, f32x4.mul(e, e)), vexp2));
  }
  for (; i < n; i++) {
    const o = (i as usize) << 2;
    const e = load<f32>(err + o);
    store<f32>(spill + o, (sig2 * (e * e)) / exp2n);
  }
}

/** Copies the mask row to `snapshot`, then excludes its pixels with a bad-input bit (a lone SPILL mark excepted). */
export function excludeFlagged(mask: usize, snapshot: usize, n: i32, dqpat: u16): void {
  memory.copy(snapshot, mask, (n as usize) << 1);
  const vpat = i16x8.splat(dqpat);
  const vspill = i16x8.splat(SPILL);
  const vexclude = i16x8.splat(EXCLUDE);
  const zero = i16x8.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = (i as usize) << 1;
    const v = v128.load(snapshot + o);
    const flagged = v128.and(i16x8.ne(v128.and(v, vpat), zero), i16x8.ne(v, vspill));
    v128.store(mask + o, v128.bitselect(vexclude, v, flagged));
  }
  for (; i < n; i++) {
    const o = (i as usize) << 1;
    const v = load<u16>(snapshot + o);
    if ((v & dqpat) !== 0 && v !== SPILL) store<u16>(mask + o, EXCLUDE);
  }
}

/**
 * Marks the neighbours within CRRADIUS of the hit at (i, line) as SPILL where (rate − ave)² > CRTHRESH² × their
 * SPILL threshold. Rings of `ringRows` rows: row y at (y mod ringRows) × n.
 */
function markSpill(
  n: i32,
  ny: i32,
  ringRows: i32,
  line: i32,
  i: i32,
  width: i32,
  rej2: f32,
  psig2: f32,
  rates: usize,
  spill: usize,
  ave: usize,
  mask: usize,
): void {
  for (let jj = 0; jj <= 2 * width; jj++) {
    const y = line - width + jj;
    if (y < 0 || y >= ny) continue;
    const j2 = (width - jj) * (width - jj);
    const slot = ((y % ringRows) * n) as usize;
    for (let x = i - width; x <= i + width; x++) {
      if (f32((x - i) * (x - i) + j2) > rej2) continue;
      if (x < 0 || x >= n) continue;
      const r = slot + (x as usize);
      const d = load<f32>(rates + (r << 2)) - load<f32>(ave + (r << 2));
      if (d * d <= psig2 * load<f32>(spill + (r << 2))) continue;
      if (load<u16>(mask + (r << 1)) !== HIT) store<u16>(mask + (r << 1), SPILL);
    }
  }
}

/** Hits of lanes `bits` (one bit a lane) from column i, in column order: each unless excluded by then. */
function markHits(
  bits: i32,
  i: i32,
  n: i32,
  ny: i32,
  ringRows: i32,
  line: i32,
  width: i32,
  rej2: f32,
  psig2: f32,
  rates: usize,
  spill: usize,
  ave: usize,
  mask: usize,
): void {
  const slot = ((line % ringRows) * n) as usize;
  while (bits !== 0) {
    const x = i + ctz(bits);
    bits &= bits - 1;
    const m = mask + ((slot + (x as usize)) << 1);
    if (load<u16>(m) === EXCLUDE) continue;
    store<u16>(m, HIT);
    if (width > 0) markSpill(n, ny, ringRows, line, x, width, rej2, psig2, rates, spill, ave, mask);
  }
}

/**
 * ACSREJ's test of one row: a pixel stands out when (rate − ave)² > σ² (ERR² + (SCALENSE × max(ave × EXPTIME
 * [/ shading], 0))²) / EXPTIME². `shadcorr` is 0 without shading.
 */
export function testRowAcs(
  n: i32,
  ny: i32,
  ringRows: i32,
  line: i32,
  width: i32,
  rej2: f32,
  psig2: f32,
  sig2: f32,
  scale: f32,
  efacn: f32,
  exp2n: f32,
  rates: usize,
  err: usize,
  spill: usize,
  ave: usize,
  mask: usize,
  shadcorr: usize,
): void {
  const slot = ((line % ringRows) * n) as usize;
  const rowRates = rates + (slot << 2);
  const rowErr = err + (slot << 2);
  const rowAve = ave + (slot << 2);
  const vsig2 = f32x4.splat(sig2);
  const vscale = f32x4.splat(scale);
  const vefac = f32x4.splat(efacn);
  const vexp2 = f32x4.splat(exp2n);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (i as usize) << 2;
    const a = v128.load(rowAve + o);
    const d = f32x4.sub(v128.load(rowRates + o), a);
    const e = v128.load(rowErr + o);
    let signal = f32x4.mul(a, vefac);
    if (shadcorr !== 0) signal = f32x4.div(signal, v128.load(shadcorr + o));
    const t = f32x4.mul(vscale, v128.bitselect(signal, zero, f32x4.gt(signal, zero)));
    const threshold = f32x4.div(f32x4.mul(vsig2, f32x4.add(f32x4.mul(e, e), f32x4.mul(t, t))), vexp2);
    const bits = i32x4.bitmask(f32x4.gt(f32x4.mul(d, d), threshold));
    if (bits !== 0) markHits(bits, i, n, ny, ringRows, line, width, rej2, psig2, rates, spill, ave, mask);
  }
  for (; i < n; i++) {
    const o = (i as usize) << 2;
    const a = load<f32>(rowAve + o);
    const d = load<f32>(rowRates + o) - a;
    const e = load<f32>(rowErr + o);
    let signal = a * efacn;
    if (shadcorr !== 0) signal = signal / load<f32>(shadcorr + o);
    const t = scale * Math.max(signal, 0);
    const threshold = (sig2 * (e * e + t * t)) / exp2n;
    if (d * d > threshold) markHits(1, i, n, ny, ringRows, line, width, rej2, psig2, rates, spill, ave, mask);
  }
}

/** WF3REJ's test of one row against the thresholds the caller computed into `thresh`. */
export function testRowThresholds(
  n: i32,
  ny: i32,
  ringRows: i32,
  line: i32,
  width: i32,
  rej2: f32,
  psig2: f32,
  rates: usize,
  spill: usize,
  ave: usize,
  mask: usize,
  thresh: usize,
): void {
  const slot = ((line % ringRows) * n) as usize;
  const rowRates = rates + (slot << 2);
  const rowAve = ave + (slot << 2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (i as usize) << 2;
    const d = f32x4.sub(v128.load(rowRates + o), v128.load(rowAve + o));
    const bits = i32x4.bitmask(f32x4.gt(f32x4.mul(d, d), v128.load(thresh + o)));
    if (bits !== 0) markHits(bits, i, n, ny, ringRows, line, width, rej2, psig2, rates, spill, ave, mask);
  }
  for (; i < n; i++) {
    const o = (i as usize) << 2;
    const d = load<f32>(rowRates + o) - load<f32>(rowAve + o);
    if (d * d > load<f32>(thresh + o))
      markHits(1, i, n, ny, ringRows, line, width, rej2, psig2, rates, spill, ave, mask);
  }
}

/**
 * WF3REJ's thresholds of columns [from, to) read by one amp: σ² (read variance + DN/gain + (SCALENSE × signal)²)
 * / EXPTIME² for the HIT test into `thresh`, without the signal term into `spill`, where DN = max(ave × EXPTIME /
 * shading + sky, 0) and signal = max(DN − sky, 0) before the clip. `ave` and `spill` point at the row.
 */
export function noiseThresholds(
  from: i32,
  to: i32,
  efacn: f32,
  sky: f32,
  sig2: f32,
  scale: f32,
  exp2n: f32,
  readVariance: f32,
  gain: f32,
  ave: usize,
  shadcorr: usize,
  thresh: usize,
  spill: usize,
): void {
  const vefac = f32x4.splat(efacn);
  const vsky = f32x4.splat(sky);
  const vsig2 = f32x4.splat(sig2);
  const vscale = f32x4.splat(scale);
  const vexp2 = f32x4.splat(exp2n);
  const vread = f32x4.splat(readVariance);
  const vgain = f32x4.splat(gain);
  const zero = f32x4.splat(0);
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const o = (i as usize) << 2;
    const dum = f32x4.add(f32x4.div(f32x4.mul(v128.load(ave + o), vefac), v128.load(shadcorr + o)), vsky);
    const val = v128.bitselect(dum, zero, f32x4.gt(dum, zero));
    const signal = f32x4.sub(dum, vsky);
    const pixsky = f32x4.mul(vscale, v128.bitselect(signal, zero, f32x4.gt(signal, zero)));
    const base = f32x4.add(vread, f32x4.div(val, vgain));
    v128.store(thresh + o, f32x4.div(f32x4.mul(vsig2, f32x4.add(base, f32x4.mul(pixsky, pixsky))), vexp2));
    v128.store(spill + o, f32x4.div(f32x4.mul(vsig2, base), vexp2));
  }
  for (; i < to; i++) {
    const o = (i as usize) << 2;
    const dum = (load<f32>(ave + o) * efacn) / load<f32>(shadcorr + o) + sky;
    // biome-ignore lint/complexity/useMathMinMax: as the vector lanes (and hstcal), NaN and -0 give 0
    const val = dum > 0 ? dum : 0;
    const signal = dum - sky;
    // biome-ignore lint/complexity/useMathMinMax: as above
    const pixsky = scale * (signal > 0 ? signal : 0);
    const base = readVariance + val / gain;
    store<f32>(thresh + o, (sig2 * (base + pixsky * pixsky)) / exp2n);
    store<f32>(spill + o, (sig2 * base) / exp2n);
  }
}

// AssemblyScript (compiled by scripts/build-wasm.mjs into dist/calib/common/image-kernels.wasm): the image
// arithmetic of src/calib/common/arithmetic.ts (a -= k·b, a /= b with ERR and DQ propagation) and the
// statistics of src/calib/common/statistics.ts on runs of pixels the caller copies into this module's memory
// (image-kernels.ts). Every f32 operation rounds as the TypeScript's double operation stored to float does
// (+, −, ×, ÷ and √ of floats rounded twice equal rounded once), so f32x4 lanes give the TypeScript's bits.
// Algorithms follow hstcal (BSD-3-Clause, AURA), lib/hstcalib sub2d/div2d and doStat.

const CALIBDEFECT: u16 = 512;
const SCALED: i32 = 1;
const DIVIDED: i32 = 2;

/** a -= k·b over n pixels: SCI difference, ERR in quadrature, DQ OR. */
export function subtractRun(
  n: i32,
  k: f32,
  aSci: usize,
  aErr: usize,
  aDq: usize,
  bSci: usize,
  bErr: usize,
  bDq: usize,
): void {
  const kv = f32x4.splat(k);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (i as usize) << 2;
    v128.store(aSci + o, f32x4.sub(v128.load(aSci + o), f32x4.mul(v128.load(bSci + o), kv)));
    const ea = v128.load(aErr + o);
    const eb = f32x4.mul(v128.load(bErr + o), kv);
    v128.store(aErr + o, f32x4.sqrt(f32x4.add(f32x4.mul(ea, ea), f32x4.mul(eb, eb))));
  }
  for (; i < n; i++) {
    const o = (i as usize) << 2;
    store<f32>(aSci + o, load<f32>(aSci + o) - load<f32>(bSci + o) * k);
    const ea = load<f32>(aErr + o);
    const eb = load<f32>(bErr + o) * k;
    store<f32>(aErr + o, sqrt<f32>(ea * ea + eb * eb));
  }
  orDq(n, aDq, bDq);
}

function orDq(n: i32, aDq: usize, bDq: usize): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = (i as usize) << 1;
    v128.store(aDq + o, v128.or(v128.load(aDq + o), v128.load(bDq + o)));
  }
  for (; i < n; i++) {
    const o = (i as usize) << 1;
    store<u16>(aDq + o, load<u16>(aDq + o) | load<u16>(bDq + o));
  }
}

/**
 * a /= d over n pixels, d = b's SCI (mode 0), SCI × scale + add (1) or SCI / by (2), b's ERR scaled alike;
 * a zero divisor leaves SCI and ERR as they are and flags CALIBDEFECT; DQ OR everywhere.
 */
export function divideRun(
  n: i32,
  mode: i32,
  scale: f32,
  add: f32,
  by: f32,
  aSci: usize,
  aErr: usize,
  aDq: usize,
  bSci: usize,
  bErr: usize,
  bDq: usize,
): void {
  orDq(n, aDq, bDq);
  const scaleV = f32x4.splat(scale);
  const addV = f32x4.splat(add);
  const byV = f32x4.splat(by);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = (i as usize) << 2;
    const zeroLow = divideFour(mode, scaleV, addV, byV, zero, aSci + o, aErr + o, bSci + o, bErr + o);
    const zeroHigh = divideFour(
      mode,
      scaleV,
      addV,
      byV,
      zero,
      aSci + o + 16,
      aErr + o + 16,
      bSci + o + 16,
      bErr + o + 16,
    );
    const dq = aDq + ((i as usize) << 1);
    const flags = v128.and(i16x8.narrow_i32x4_s(zeroLow, zeroHigh), i16x8.splat(CALIBDEFECT));
    v128.store(dq, v128.or(v128.load(dq), flags));
  }
  for (; i < n; i++) {
    const o = (i as usize) << 2;
    const bs = load<f32>(bSci + o);
    const d = mode === SCALED ? bs * scale + add : mode === DIVIDED ? bs / by : bs;
    if (d === 0) {
      const dq = aDq + ((i as usize) << 1);
      store<u16>(dq, load<u16>(dq) | CALIBDEFECT);
      continue;
    }
    const be = load<f32>(bErr + o);
    const e = mode === SCALED ? be * scale : mode === DIVIDED ? be / by : be;
    const value = load<f32>(aSci + o);
    const ratioErr = load<f32>(aErr + o) / d;
    const refErr = (e * value) / d / d;
    store<f32>(aSci + o, value / d);
    store<f32>(aErr + o, sqrt<f32>(ratioErr * ratioErr + refErr * refErr));
  }
}

/** Four pixels of divideRun's SCI and ERR; returns the lanes whose divisor is zero (all ones). */
function divideFour(
  mode: i32,
  scaleV: v128,
  addV: v128,
  byV: v128,
  zero: v128,
  aSci: usize,
  aErr: usize,
  bSci: usize,
  bErr: usize,
): v128 {
  const bs = v128.load(bSci);
  const be = v128.load(bErr);
  let d = bs;
  let e = be;
  if (mode === SCALED) {
    d = f32x4.add(f32x4.mul(bs, scaleV), addV);
    e = f32x4.mul(be, scaleV);
  } else if (mode === DIVIDED) {
    d = f32x4.div(bs, byV);
    e = f32x4.div(be, byV);
  }
  const isZero = f32x4.eq(d, zero);
  const value = v128.load(aSci);
  const ratioErr = f32x4.div(v128.load(aErr), d);
  const refErr = f32x4.div(f32x4.div(f32x4.mul(e, value), d), d);
  const sci = f32x4.div(value, d);
  const err = f32x4.sqrt(f32x4.add(f32x4.mul(ratioErr, ratioErr), f32x4.mul(refErr, refErr)));
  v128.store(aSci, v128.bitselect(value, sci, isZero));
  v128.store(aErr, v128.bitselect(v128.load(aErr), err, isZero));
  return isZero;
}

// The statistics' accumulator slots (f64), as statistics.ts lays them out.
const N = 0;
const SCI_SUM = 1;
const ERR_SUM = 2;
const SNR_SUM = 3;
const SCI_MIN = 4;
const SCI_MAX = 5;
const ERR_MIN = 6;
const ERR_MAX = 7;
const SNR_MIN = 8;
const SNR_MAX = 9;

/**
 * Adds n pixels with (DQ & sdqflags) = 0 and ERR > 0 to the accumulators at `acc` (10 f64), in pixel order
 * and in double as statistics.ts does (the sums' bits depend on the order).
 */
export function statisticsRun(n: i32, sdqflags: u16, sci: usize, err: usize, dq: usize, acc: usize): void {
  let count = load<f64>(acc + (N << 3));
  let sciSum = load<f64>(acc + (SCI_SUM << 3));
  let errSum = load<f64>(acc + (ERR_SUM << 3));
  let snrSum = load<f64>(acc + (SNR_SUM << 3));
  let sciMin = load<f64>(acc + (SCI_MIN << 3));
  let sciMax = load<f64>(acc + (SCI_MAX << 3));
  let errMin = load<f64>(acc + (ERR_MIN << 3));
  let errMax = load<f64>(acc + (ERR_MAX << 3));
  let snrMin = load<f64>(acc + (SNR_MIN << 3));
  let snrMax = load<f64>(acc + (SNR_MAX << 3));
  for (let i = 0; i < n; i++) {
    const e = f64(load<f32>(err + ((i as usize) << 2)));
    if ((load<u16>(dq + ((i as usize) << 1)) & sdqflags) !== 0 || !(e > 0)) continue;
    const s = f64(load<f32>(sci + ((i as usize) << 2)));
    const snr = s / e;
    count += 1;
    sciSum += s;
    errSum += e;
    snrSum += snr;
    if (s < sciMin) sciMin = s;
    if (s > sciMax) sciMax = s;
    if (e < errMin) errMin = e;
    if (e > errMax) errMax = e;
    if (snr < snrMin) snrMin = snr;
    if (snr > snrMax) snrMax = snr;
  }
  store<f64>(acc + (N << 3), count);
  store<f64>(acc + (SCI_SUM << 3), sciSum);
  store<f64>(acc + (ERR_SUM << 3), errSum);
  store<f64>(acc + (SNR_SUM << 3), snrSum);
  store<f64>(acc + (SCI_MIN << 3), sciMin);
  store<f64>(acc + (SCI_MAX << 3), sciMax);
  store<f64>(acc + (ERR_MIN << 3), errMin);
  store<f64>(acc + (ERR_MAX << 3), errMax);
  store<f64>(acc + (SNR_MIN << 3), snrMin);
  store<f64>(acc + (SNR_MAX << 3), snrMax);
}

/**
 * Adds k·SCI (rounded to float) of the n pixels whose DQ has none of `mask` to acc[0] and their count to acc[1],
 * in pixel order and in double (dark.ts meanOfGoodPixels).
 */
export function scaledSumRun(n: i32, k: f32, mask: u16, sci: usize, dq: usize, acc: usize): void {
  let sum = load<f64>(acc);
  let good = load<f64>(acc + 8);
  for (let i = 0; i < n; i++) {
    if ((load<u16>(dq + ((i as usize) << 1)) & mask) !== 0) continue;
    sum += f64(load<f32>(sci + ((i as usize) << 2)) * k);
    good += 1;
  }
  store<f64>(acc, sum);
  store<f64>(acc + 8, good);
}

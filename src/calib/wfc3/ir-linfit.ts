/**
 * The straight-line fit of one interval of an up-the-ramp pixel (calibration.md §5 CRCORR; hstcal
 * cridcalc.c linfit): equal weights while looking for outliers, Fixsen's SNR-dependent "optimum" weights
 * for the final slope, and a slope error from the fit (read noise 21 e per CDS pair), the modelled dark
 * and the source's Poisson noise. Sums are float, as in hstcal. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
const f = Math.fround;

export interface LineFitResult {
  a: number;
  b: number;
  sigb: number;
}

const POWERS = [0, 0.4, 1, 3, 6, 10];

function powerLevel(snr: number): number {
  if (snr > 100) return 5;
  if (snr > 50) return 4;
  if (snr > 20) return 3;
  if (snr > 10) return 2;
  if (snr > 5) return 1;
  return 0;
}

/** The weighting exponent for an interval of signal-to-noise `snr`. */
export function optimumPower(snr: number): number {
  return POWERS[powerLevel(snr)];
}

// The weights depend only on the interval length, the power and the read noise: computed once per
// (length, power) and reused, since pow per sample was most of the fit's time.
let tableScale = Number.NaN;
let tables: (Float64Array | undefined)[] = [];

function weights(n: number, level: number, invrdns2: number): Float64Array {
  if (invrdns2 !== tableScale) {
    tableScale = invrdns2;
    tables = [];
  }
  const key = n * POWERS.length + level;
  let w = tables[key];
  if (!w) {
    w = new Float64Array(n);
    const half = (n - 1) / 2;
    const power = POWERS[level];
    for (let k = 0; k < n; k++) w[k] = f(f(Math.abs(Math.abs(k - half) / half) ** power) * invrdns2);
    tables[key] = w;
  }
  return w;
}

/**
 * Fits y = a + b·x to the samples index[from] … index[from+n−1] of the pixel arrays (x = time, y = counts,
 * sig = errors, dark = modelled dark counts) into `out`. `optimum` selects the final weighting.
 */
export function fitSamples(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  sig: ArrayLike<number>,
  dark: ArrayLike<number>,
  index: ArrayLike<number>,
  from: number,
  n: number,
  gain: number,
  optimum: boolean,
  out: LineFitResult,
): LineFitResult {
  if (n === 0) return set(out, 0, 0, 1e10);
  const first = index[from];
  const last = index[from + n - 1];
  if (n === 1)
    return x[first] === 0 ? set(out, 0, 0, 1e10) : set(out, 0, f(y[first] / x[first]), f(sig[first] / x[first]));
  const rdns = f(21 / gain);
  const invrdns2 = f(1 / f(rdns * rdns));
  const level = optimum ? powerLevel(sig[last] > 0 ? f(f(y[last] - y[first]) / sig[last]) : 0) : 0;
  const wts = weights(n, level, invrdns2);
  let S = 0;
  let Sx = 0;
  let Sy = 0;
  let Sxx = 0;
  let Sxy = 0;
  for (let k = 0; k < n; k++) {
    const s = index[from + k];
    if (sig[s] === 0) continue;
    const wt = wts[k];
    const xs = x[s];
    const ys = y[s];
    S = f(S + wt);
    Sy = f(Sy + f(ys * wt));
    Sx = f(Sx + f(xs * wt));
    Sxx = f(Sxx + f(f(xs * xs) * wt));
    Sxy = f(Sxy + f(f(xs * ys) * wt));
  }
  if (!(S > 0)) return set(out, 0, 0, 1e9);
  const dx = f(x[last] - x[first]);
  const dy = f(y[last] - y[first]);
  const ddg = f(dark[last] - dark[first]);
  let denom = f(f(S * Sxx) - f(Sx * Sx));
  if (denom < 1e-6) denom = f(1e-6);
  let a: number;
  let b: number;
  let sigb: number;
  let fitUncertainty: number;
  if (n === 2) {
    b = f(dy / dx);
    a = f(y[first] - f(b * x[first]));
    fitUncertainty = 0;
    const e0 = f(sig[first] / x[first]);
    const e1 = f(sig[last] / x[last]);
    sigb = f(Math.sqrt(f(f(e0 * e0) + f(e1 * e1))));
  } else {
    b = f(f(f(S * Sxy) - f(Sx * Sy)) / denom);
    a = f(f(f(Sxx * Sy) - f(Sx * Sxy)) / denom);
    fitUncertainty = f(Math.sqrt(f(S / denom)));
    sigb = fitUncertainty;
  }
  const terma = f(f(f(gain * fitUncertainty) * dx) ** 2);
  const errterms = f(f(terma + f(gain * ddg)) + f(gain * dy));
  if (errterms > 0) sigb = f(f(f(Math.sqrt(errterms)) / dx) / gain);
  return set(out, a, b, sigb);
}

function set(out: LineFitResult, a: number, b: number, sigb: number): LineFitResult {
  out.a = a;
  out.b = b;
  out.sigb = sigb;
  return out;
}

/** Fits the samples listed in `index` (see fitSamples). */
export function fitInterval(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  sig: ArrayLike<number>,
  dark: ArrayLike<number>,
  index: readonly number[],
  gain: number,
  optimum: boolean,
): LineFitResult {
  return fitSamples(x, y, sig, dark, index, 0, index.length, gain, optimum, { a: 0, b: 0, sigb: 0 });
}

/** hstcal's dark-plus-glow model: 0.036 e/s of dark, no amp glow, in DN at each sample time. */
export function modelledDark(time: ArrayLike<number>, gain: number, out: Float32Array): void {
  const rate = f(0.036 / gain);
  for (let k = 0; k < out.length; k++) out[k] = f(time[k] * rate);
}

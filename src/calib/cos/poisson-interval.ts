/**
 * The one-sigma frequentist Poisson interval of a real-valued count n (astropy's poisson_conf_interval,
 * 'frequentist-confidence', which calcos' errFrequentist uses for x1d errors): lower = ½ χ²⁻¹(α; 2n),
 * upper = ½ χ²⁻¹(1 − α; 2n + 2), i.e. the inverses of the regularised incomplete gamma P(a, x).
 */
const ALPHA = 0.15865525393145707;
const EPS = 1e-15;

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), good to ~1e-15 for x > 0
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised lower incomplete gamma P(a, x): series below a + 1, continued fraction above. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const front = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return sum * Math.exp(front);
  }
  // Lentz's continued fraction for Q(a, x)
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return 1 - Math.exp(front) * h;
}

/** x with P(a, x) = p, by bisection on a bracket then Newton-free refinement (monotone, robust). */
function gammaPInverse(a: number, p: number): number {
  let lo = 0;
  let hi = Math.max(1, a + 10 * Math.sqrt(a) + 10);
  while (gammaP(a, hi) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (gammaP(a, mid) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** [n − lower, upper − n] as float32, like calcos' errFrequentist (lower is 0 for n = 0). */
export function frequentistErrors(n: number): [number, number] {
  const count = Math.max(n, 0);
  const lower = count > 0 ? gammaPInverse(count, ALPHA) : 0;
  const upper = gammaPInverse(count + 1, 1 - ALPHA);
  return [Math.fround(n - lower), Math.fround(upper - n)];
}

/**
 * The upper error of n counts as calcos computes it (astropy's poisson_conf_interval, 'frequentist-confidence',
 * one sigma): μ − n where the Poisson probability of ≤ n events at mean μ is norm.sf(1); i.e. half the
 * chi-square(2n + 2) quantile of scipy. n is a whole number of events here, so the CDF is a finite sum.
 */
const ALPHA = 0.15865525393145707;

function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/**
 * P(N ≤ n; μ) and the probability of exactly n, for μ above n: summed down from the n-th term (the largest
 * there), relative to it, so that nothing underflows for large counts.
 */
function poissonTail(n: number, mu: number, lf: number): { cdf: number; top: number } {
  const top = Math.exp(-mu + n * Math.log(mu) - lf);
  let ratio = 1;
  let sum = 1;
  for (let i = n; i > 0; i--) {
    ratio *= i / mu;
    sum += ratio;
    if (ratio < 1e-17 * sum) break;
  }
  return { cdf: top * sum, top };
}

/** μ with P(N ≤ n; μ) = ALPHA, by Newton's method from above (the CDF is convex there). */
export function frequentistUpper(n: number): number {
  const lf = logFactorial(n);
  let mu = n + 1 + Math.sqrt(n + 1) + 0.5;
  for (let iteration = 0; iteration < 100; iteration++) {
    const { cdf, top } = poissonTail(n, mu, lf);
    const step = (cdf - ALPHA) / -top;
    mu -= step;
    if (Math.abs(step) < 1e-13 * mu) break;
  }
  return mu;
}

/** err_upper = upper − n as a float32 per whole count, cached (a few distinct counts per image). */
export function frequentistUpperErrors(): (n: number) => number {
  const cache = new Map<number, number>();
  return (n) => {
    let e = cache.get(n);
    if (e === undefined) {
      e = Math.fround(frequentistUpper(n) - n);
      cache.set(n, e);
    }
    return e;
  };
}

/**
 * The upper error of n counts as calcos computes it (astropy's poisson_conf_interval, 'frequentist-confidence',
 * one sigma): μ − n where the Poisson probability of ≤ n events at mean μ is norm.sf(1); i.e. half the
 * chi-square(2n + 2) quantile of scipy. n is a whole number of events here, so the CDF is a finite sum.
 */
const ALPHA = 0.15865525393145707;

function poissonCdf(n: number, mu: number): number {
  let term = Math.exp(-mu);
  let sum = term;
  for (let i = 1; i <= n; i++) {
    term *= mu / i;
    sum += term;
  }
  return sum;
}

function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/** μ with P(N ≤ n; μ) = ALPHA, by Newton's method from above (the CDF is convex there). */
export function frequentistUpper(n: number): number {
  let mu = n + 1 + Math.sqrt(n + 1) + 0.5;
  const lf = logFactorial(n);
  for (let iteration = 0; iteration < 100; iteration++) {
    const f = poissonCdf(n, mu) - ALPHA;
    const slope = -Math.exp(-mu + n * Math.log(mu) - lf);
    const step = f / slope;
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

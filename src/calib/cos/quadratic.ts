/**
 * Least-squares quadratics as calcos' fitQuadratic and centerOfQuadratic compute them: y − y[0] fitted (the
 * offset in single precision when y is, as calcos' float32 arrays are), the normal equations solved, variances
 * from the inverse scaled by the residual scatter (0 for three points).
 */

export interface Quadratic {
  /** c0 + c1·x + c2·x² */
  coeff: [number, number, number];
  variance: [number, number, number];
}

/** The inverse of a 3×3 matrix (rows), undefined when it is singular. */
function invert3(m: number[][]): number[][] | undefined {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (det === 0 || !Number.isFinite(det)) return undefined;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

/**
 * Fit y at x = x0 … x0 + n − 1 (x0 = 0 unless given); `single` rounds y − y[0] to float32 as numpy does for a
 * float32 y.
 */
export function fitQuadratic(y: ArrayLike<number>, single = true, x0 = 0): Quadratic | undefined {
  const n = y.length;
  const y0 = y[0];
  const yp = Array.from(y, (v) => (single ? Math.fround(v - y0) : v - y0));
  let [sx, sx2, sx3, sx4, sy, syx, syx2] = [0, 0, 0, 0, 0, 0, 0];
  for (let k = 0; k < n; k++) {
    const x = x0 + k;
    sx += x;
    sx2 += x * x;
    sx3 += x * x * x;
    sx4 += x * x * x * x;
    sy += yp[k];
    syx += yp[k] * x;
    syx2 += yp[k] * x * x;
  }
  const inverse = invert3([
    [n, sx, sx2],
    [sx, sx2, sx3],
    [sx2, sx3, sx4],
  ]);
  if (!inverse) return undefined;
  const v = [sy, syx, syx2];
  const solve = (r: number) => inverse[r][0] * v[0] + inverse[r][1] * v[1] + inverse[r][2] * v[2];
  const coeff: [number, number, number] = [solve(0) + y0, solve(1), solve(2)];
  let scatter = 0;
  if (n > 3) {
    let chisq = 0;
    for (let k = 0; k < n; k++) {
      const x = x0 + k;
      chisq += (y[k] - (coeff[0] + coeff[1] * x + coeff[2] * x * x)) ** 2;
    }
    scatter = Math.sqrt(chisq / (n - 3));
  }
  return { coeff, variance: [inverse[0][0] * scatter, inverse[1][1] * scatter, inverse[2][2] * scatter] };
}

/** The extremum of the quadratic and its error estimate; undefined when there is none. */
export function centerOfQuadratic(q: Quadratic | undefined): { x: number; sigma: number } | undefined {
  if (!q || q.coeff[2] === 0) return undefined;
  const [, a1, a2] = q.coeff;
  const [, var1, var2] = q.variance;
  return { x: -a1 / (2 * a2), sigma: 0.5 * Math.sqrt(var1 / a2 ** 2 + (var2 * a1 ** 2) / a2 ** 4) };
}

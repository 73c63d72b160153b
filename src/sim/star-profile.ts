/** Point sources integrated exactly over each pixel: a circular Gaussian as the product of two erf differences. */

/** erf from Numerical Recipes' erfc approximation (fractional error < 1.2e-7). */
export function erf(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const y = 1 - t * Math.exp(-x * x + poly);
  return x >= 0 ? y : -y;
}

/**
 * Adds `flux` spread as a Gaussian of `sigma` centred at (cx, cy), 0-based pixel-centre coordinates (pixel i
 * covers [i - 0.5, i + 0.5]), over ±6σ: the fraction outside is below 1e-8.
 */
export function renderStar(
  image: Float32Array,
  nx: number,
  ny: number,
  cx: number,
  cy: number,
  flux: number,
  sigma: number,
) {
  const r = Math.ceil(6 * sigma);
  const s = sigma * Math.SQRT2;
  const cell = (a: number, c: number) => 0.5 * (erf((a + 0.5 - c) / s) - erf((a - 0.5 - c) / s));
  const x0 = Math.round(cx);
  const y0 = Math.round(cy);
  for (let j = Math.max(0, y0 - r); j <= Math.min(ny - 1, y0 + r); j++) {
    const fy = cell(j, cy);
    for (let i = Math.max(0, x0 - r); i <= Math.min(nx - 1, x0 + r); i++) image[j * nx + i] += flux * fy * cell(i, cx);
  }
}

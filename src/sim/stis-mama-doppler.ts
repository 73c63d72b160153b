/**
 * The on-board Doppler compensation of a simulated MAMA ACCUM spectrum (DOPPCORR = PERFORM): the flight
 * software moved each photon by HST's orbital Doppler shift, DOPPMAG·sin(2π(t − DOPPZERO)/ORBITPER) high-res
 * pixels, so the spectrum stays put while the detector pixels under it change. The SCI keywords calstis1 reads
 * (getgrpinfo1.c). DOPPMAG is larger than a first-order grating's (~0.1–0.3 high-res pixels for G140L, where
 * the kernel is one pixel) so that the smearing spans several pixels, as for an echelle.
 */

/** HST's orbital period (s), as the archive's ORBITPER. */
export const ORBITPER = 5728.3;
/** Amplitude of the shift, high-res pixels. */
export const DOPPMAG = 5.0;
/** DOPPZERO precedes EXPSTART by this share of an orbit: the exposure spans the zero crossing. */
export const DOPPZERO_LEAD = 0.04;

/** The SCI keywords of an exposure starting at `expstart` (MJD). */
export function dopplerKeywords(expstart: number): [string, string | number | boolean, string][] {
  const doppzero = expstart - (DOPPZERO_LEAD * ORBITPER) / 86400;
  return [
    ["DOPPON", true, "Doppler correction flag"],
    ["DOPPZERO", Number(doppzero.toFixed(8)), "commanded Doppler zero time (MJD)"],
    ["DOPPMAG", DOPPMAG, "Doppler shift magnitude (high-res pixels)"],
    ["ORBITPER", ORBITPER, "orbital period used on board for Doppler corr."],
  ];
}

/** Share of the exposure's seconds at each whole high-res shift (the image column minus the detector's). */
export function shiftWeights(expstart: number, exptime: number): Map<number, number> {
  const doppzero = expstart - (DOPPZERO_LEAD * ORBITPER) / 86400;
  const weights = new Map<number, number>();
  const seconds = Math.floor(exptime) + 1;
  for (let s = 0; s < seconds; s++) {
    const phase = ((expstart - doppzero) * 86400 + s) / ORBITPER;
    const shift = Math.round(-DOPPMAG * Math.sin(2 * Math.PI * phase));
    weights.set(shift, (weights.get(shift) ?? 0) + 1 / seconds);
  }
  return weights;
}

/**
 * The low-res flat and dark a Doppler-compensated exposure sees: each image pixel collects, in turn, the
 * high-res detector pixels the shifts put under it (the flat's high-res values as writeHighRes makes them,
 * ±1 % checkerboard; the dark's quarters); the flight software drops photons from the `border` columns at
 * each edge of the detector.
 */
export function dopplerMaps(flat: Float32Array, dark: Float32Array, n: number, weights: Map<number, number>) {
  const border = Math.round(DOPPMAG);
  const hx = 2 * n;
  const flatHr = (x: number, y: number) =>
    x < border || x >= hx - border ? 0 : flat[(y >> 1) * n + (x >> 1)]! * ((x + y) % 2 === 0 ? 1.01 : 0.99);
  const darkHr = (x: number, y: number) => (x < 0 || x >= hx ? 0 : dark[(y >> 1) * n + (x >> 1)]! / 4);
  const seenFlat = new Float32Array(n * n);
  const seenDark = new Float32Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let f = 0;
      let d = 0;
      for (const [shift, w] of weights) {
        for (const [c, r] of [
          [2 * x, 2 * y],
          [2 * x + 1, 2 * y],
          [2 * x, 2 * y + 1],
          [2 * x + 1, 2 * y + 1],
        ] as const) {
          f += (w * flatHr(c - shift, r)) / 4;
          d += w * darkHr(c - shift, r);
        }
      }
      seenFlat[y * n + x] = f;
      seenDark[y * n + x] = d;
    }
  }
  return { flat: seenFlat, dark: seenDark };
}

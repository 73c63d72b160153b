/**
 * calstis6's FLUXCORR on an extracted CCD spectrum (absflux6.c): FLUX from NET by the absolute-flux factor,
 * ERROR (NET_ERROR in counts/s until then) by the same factor and by the Q factor, the error of more than one
 * electron per photon below ~3400 Å, which NET_ERROR takes too. CTECORR is not applied (cs6's CtiCorr).
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { absoluteFlux, type FluxCalibration, interpolate } from "./absolute-flux.js";

const f = Math.fround;
const Q_CURVE = {
  wl: [1127.09, 2066.33, 2213.93, 2339.25, 3424.86, 11000.0],
  value: [3.0, 1.5, 1.35, 1.4, 1.0, 1.0],
};

export interface CcdNoise {
  meandark: number;
  readnse: number;
  atodgain: number;
  ncombine: number;
  exptime: number;
}

/** QFactor: the error's correction at observed wavelength `wl` for a box `width` rows high and GROSS `gross`. */
export function qFactor(wl: number, width: number, gross: number, n: CcdNoise): number {
  const s = Math.max(gross, 0);
  const q = interpolate(wl, Q_CURVE);
  const dark = n.meandark * width;
  const read = n.readnse * n.readnse * width;
  const numerator = ((s * n.exptime + dark) * n.atodgain) / n.ncombine + read;
  const denominator = (((s * n.exptime) / q + dark) * n.atodgain) / n.ncombine + read;
  return f(Math.sqrt(numerator / denominator));
}

export interface FluxedSpectrum {
  flux: Float32Array;
  error: Float32Array;
  netError: Float32Array;
  dq: Uint16Array;
}

/** FLUX, ERROR, NET_ERROR and the added DQ of a spectrum; `extrsize` the box height in image rows; a MAMA's has no noise (no Q factor). */
export function fluxCcdSpectrum(
  s: { wavelength: ArrayLike<number>; net: Float32Array; gross: Float32Array; error: Float32Array },
  o: { hfactor: number; extrsize: number; calibration: FluxCalibration; noise?: CcdNoise },
): FluxedSpectrum {
  const { flux, dq, correction } = absoluteFlux(s.wavelength, s.net, o.hfactor, o.calibration);
  const error = new Float32Array(s.error.length);
  const netError = Float32Array.from(s.error);
  for (let i = 0; i < error.length; i++) {
    if (correction[i] <= 0) continue;
    const q = o.noise ? qFactor(s.wavelength[i] / o.hfactor, f(o.extrsize), s.gross[i], o.noise) : 1;
    error[i] = f(s.error[i] * f(correction[i] * q));
    netError[i] = f(netError[i] * q);
  }
  return { flux, error, netError, dq };
}

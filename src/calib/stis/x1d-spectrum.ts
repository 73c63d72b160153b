/**
 * calstis6 (do1dx.c) on one first-order long-slit imset: the nominal trace row (the SPTRCTAB's first
 * A2CENTER plus SHIFTA2 and the aperture's OFFSET2), the spectrum searched within MAXSRCH of it, the trace
 * re-interpolated there, the unweighted extraction with its background and the pipeline's background smoothing,
 * the wavelengths from the DISPTAB at the found row (with the incidence-angle term and SHIFTA1), heliocentric,
 * and the absolute flux. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import type { FluxCalibration } from "./absolute-flux.js";
import {
  adjustedCoefficients,
  coefficientsAt,
  type DispersionRow,
  type IncidenceAngleRow,
  spectrumWavelengths,
} from "./dispersion.js";
import { smoothCcdBackground } from "./x1d-background.js";
import { extractSpectrum } from "./x1d-extract.js";
import { type CcdNoise, fluxCcdSpectrum } from "./x1d-flux.js";
import type { X1dImage } from "./x1d-image.js";
import { lymanAlphaWindows, smoothMamaBackground } from "./x1d-lyman-alpha.js";
import { crossCorrelate, type Lt, type Trace, traceAt } from "./x1d-trace.js";

/** The pipeline's background smoothing polynomial (cs0 calstis0.c bks_order). */
const SMOOTHING_ORDER = 3;
/** Flags cs6 never counts as serious (GetGrpInfo6): hot pixels and small blemishes. */
export const NOT_SERIOUS = 16 | 1024;

export interface ExtractionRow {
  EXTRSIZE: number;
  BK1SIZE: number;
  BK2SIZE: number;
  BK1OFFST: number;
  BK2OFFST: number;
  BKTCOEFF: readonly number[];
  NCOEFFBK: number;
  BACKORD: number;
  MAXSRCH: number;
}

export interface X1dExposure {
  image: X1dImage;
  lt: Lt;
  exptime: number;
  sdqflags: number;
  shifta1: number;
  shifta2: number;
  /** CD1_1, CD2_2 (degrees per pixel), CRPIX1, CRVAL1 of the imset. */
  cd: [number, number];
  crpix1: number;
  crval1: number;
  optElem: string;
  cenwave: number;
  /** HELCORR: the heliocentric factor, else 1. */
  hfactor: number;
  noise: CcdNoise;
  /** A MAMA: the background smoothed around the geocoronal lines, no Q factor on the error. */
  mama?: boolean;
}

export interface X1dTables {
  traces: readonly Trace[];
  extraction: ExtractionRow;
  /** APDESTAB of the aperture: OFFSET1/OFFSET2 (arcsec), WIDTH1; and OFFSET1 of the DISPTAB's REF_APER. */
  aperture: { offset: [number, number]; width1: number; refOffset1: number };
  dispersion?: { rows: readonly DispersionRow[]; iac: IncidenceAngleRow };
  backcorr: boolean;
  flux?: FluxCalibration;
}

export interface X1dRow {
  wavelength: Float64Array;
  gross: Float32Array;
  background: Float32Array;
  net: Float32Array;
  flux: Float32Array;
  error: Float32Array;
  netError: Float32Array;
  dq: Uint16Array;
  extrlocy: Float32Array;
  /** The scalars of the row, in image pixels: A2CENTER (one-indexed), EXTRSIZE, box sizes/offsets, MAXSRCH. */
  a2center: number;
  extrsize: number;
  bksize: [number, number];
  bkoffset: [number, number];
  maxsrch: number;
  /** The search's offset from the nominal row (OFFSET, CRSCROFF). */
  offset: number;
}

/** One first-order spectrum; `where` names the input in errors. */
export function extractFirstOrder(e: X1dExposure, t: X1dTables, where: string): X1dRow {
  const { ltm, ltv } = e.lt;
  const x = t.extraction;
  if (x.BACKORD > 1) throw new CalibrationError("CAL_STEP_NOT_DONE", `${where}: BACKORD ${x.BACKORD} is not native`);
  if (e.optElem.toUpperCase() === "PRISM") {
    throw new CalibrationError("CAL_STEP_NOT_DONE", `${where}: X1DCORR of the PRISM is not native yet`);
  }
  const apertureOffset = t.aperture.offset[1] / (e.cd[1] * 3600);
  const nominal = traceAt(t.traces, t.traces[0].a2center + e.shifta2 + apertureOffset).a2center;
  const sdqflags = e.sdqflags & ~NOT_SERIOUS;
  const wcs = { crval1: e.crval1, crpix1: e.crpix1, cd: e.cd, ltm, width1: t.aperture.width1, sdqflags };
  const windows = lymanAlphaWindows(e.image, wcs);
  const avoid: [number, number] = [windows[0], windows[1]];
  const search = { nominal, maxsearch: x.MAXSRCH, sdqflags, avoid, threshold: 0 };
  const offset = crossCorrelate(e.image, t.traces, { ...e.lt, ...search });
  if (offset === undefined) {
    const row = (nominal * ltm[1] + ltv[1] + 1).toFixed(2);
    throw new CalibrationError(
      "INVALID_VALUE",
      `${where}: no spectrum found within MAXSRCH ${x.MAXSRCH} of row ${row}`,
    );
  }
  const a2center = nominal + offset;
  const spectrum = extractSpectrum(e.image, traceAt(t.traces, a2center), a2center, {
    ...e.lt,
    box: extractionBox(e, t),
    sdqflags: 0,
    exptime: e.exptime,
  });
  spectrum.background = e.mama
    ? smoothMamaBackground(spectrum.background, SMOOTHING_ORDER, windows)
    : smoothCcdBackground(spectrum.background, SMOOTHING_ORDER);
  return finishedRow(e, t, spectrum, { a2center, offset, sporder: 1, noise: e.mama ? undefined : e.noise });
}

/** The extraction box of XTRACTAB's row, with its background regions when BACKCORR is on. */
export function extractionBox(e: X1dExposure, t: X1dTables) {
  const x = t.extraction;
  const background = t.backcorr
    ? { size: [x.BK1SIZE, x.BK2SIZE] as [number, number], offset: [x.BK1OFFST, x.BK2OFFST] as [number, number] }
    : undefined;
  return {
    extrsize: x.EXTRSIZE,
    bktcoeff: x.BKTCOEFF.slice(0, x.NCOEFFBK),
    background: background && { ...background, order: x.BACKORD },
    smoothed: e.image.nx > 0,
  };
}

/**
 * The x1d row of an extracted spectrum whose background is smoothed: NET, the wavelengths of spectral order
 * `sporder` at row `a2center` (reference pixels), the absolute flux (`noise`: a CCD's Q factor on the error).
 */
export function finishedRow(
  e: X1dExposure,
  t: X1dTables,
  spectrum: ReturnType<typeof extractSpectrum>,
  at: { a2center: number; offset: number; sporder: number; noise?: CcdNoise },
): X1dRow {
  const { ltm, ltv } = e.lt;
  const x = t.extraction;
  const { a2center, offset, sporder } = at;
  for (let i = 0; i < e.image.nx; i++) spectrum.net[i] = spectrum.gross[i] - spectrum.background[i];
  const wavelength = new Float64Array(e.image.nx);
  if (t.dispersion) {
    const delta = t.aperture.offset[0] - t.aperture.refOffset1;
    const coeff = coefficientsAt(t.dispersion.rows, a2center);
    const adjusted = adjustedCoefficients(coeff, t.dispersion.iac, delta, e.shifta1);
    const o = { sporder, npts: e.image.nx, cenwave: e.cenwave, ltv1: ltv[0], ltm1: ltm[0], hfactor: e.hfactor };
    wavelength.set(spectrumWavelengths(adjusted, o));
  }
  const extrsize = x.EXTRSIZE * ltm[1];
  const fluxed =
    t.flux && t.dispersion
      ? fluxCcdSpectrum(
          { wavelength, net: spectrum.net, gross: spectrum.gross, error: spectrum.error },
          { hfactor: e.hfactor, extrsize, calibration: t.flux, noise: at.noise },
        )
      : undefined;
  return {
    wavelength,
    gross: spectrum.gross,
    background: spectrum.background,
    net: spectrum.net,
    flux: fluxed?.flux ?? new Float32Array(e.image.nx),
    error: fluxed?.error ?? spectrum.error,
    netError: fluxed?.netError ?? spectrum.error.slice(),
    dq: fluxed ? spectrum.dq.map((d, i) => d | fluxed.dq[i]) : spectrum.dq,
    extrlocy: spectrum.extrlocy,
    a2center: a2center * ltm[1] + ltv[1] + 1,
    extrsize,
    bksize: [x.BK1SIZE * ltm[1], x.BK2SIZE * ltm[1]],
    bkoffset: [x.BK1OFFST * ltm[1], x.BK2OFFST * ltm[1]],
    maxsrch: Math.trunc(x.MAXSRCH * ltm[1]),
    offset,
  };
}

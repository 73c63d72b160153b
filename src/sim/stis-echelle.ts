/**
 * A simulated STIS FUV-MAMA echelle observation (`caldp sim o… --detector FUV-MAMA --echelle`): an E140M ACCUM
 * science raw of a point source through 0.2X0.06 (the orders of stis-echelle-model.ts stacked across the 1024²
 * low-res detector, photon counting as stis-mama.ts) and its line-lamp wavecal `_wav` (each lamp line an image of
 * the square aperture in every order), both displaced by the same MSM offset; the MAMA references (high-res
 * DARKFILE, PFLTFILE, BPIXTAB, MLINTAB), the echelle tables of stis-echelle-tables.ts, the CRDS cache and the truth
 * spectrum per order. SC2DCORR (the scattered-light model: ECHSCTAB, EXSTAB, CDSTAB, RIPTAB, SRWTAB) is OMIT.
 */
import { join } from "node:path";
import { FitsWriter, Header } from "../fits/index.js";
import { writeCrdsCache } from "./crds-cache.js";
import { unionCards } from "./dataset-cards.js";
import { mjd, type Observation, rawPrimaryHeader } from "./headers.js";
import { makeChipMaps } from "./maps.js";
import { writeCcdRaw } from "./raw.js";
import type { ReferenceFile } from "./reference-files.js";
import { ref, writeCcdReferences } from "./references-ccd.js";
import { erf } from "./star-profile.js";
import * as E140M from "./stis-echelle-model.js";
import { writeEchelleTables } from "./stis-echelle-tables.js";
import { rowFraction } from "./stis-first-order.js";
import { asSimulatedDataset, type StisSpectroOptions } from "./stis-longslit.js";
import { COUNTER_MAX, mamaExposureKeywords, stisMamaModel } from "./stis-mama.js";
import { MAMA_SPECTRO_SWITCHES } from "./stis-mama-longslit.js";
import { writeHighRes } from "./stis-mama-reference-images.js";
import { STIS_MAMA_LINEARITY, writeStisMlintab } from "./stis-mama-references.js";

const m = E140M;
const O = "OMIT";
/** The first-order MAMA switches, and SC2DCORR OMIT (its scattered-light tables are not simulated). */
const SWITCHES: [string, string][] = [...MAMA_SPECTRO_SWITCHES, ["SC2DCORR", O]];
const WAVECAL_OMITS = new Set(["WAVECORR", "X1DCORR", "BACKCORR", "HELCORR", "FLUXCORR", "X2DCORR"]);
const REFERENCE_KEYWORDS = ["BPIXTAB", "DARKFILE", "PFLTFILE", "DFLTFILE", "LFLTFILE", "MLINTAB", "PHOTTAB"].concat(
  ["APERTAB", "WAVECAL", "APDESTAB", "SPTRCTAB", "DISPTAB", "INANGTAB", "LAMPTAB", "SDCTAB", "XTRACTAB", "PCTAB"],
  ["WCPTAB", "TDSTAB", "GACTAB", "ECHSCTAB", "EXSTAB", "CDSTAB", "RIPTAB", "SRWTAB"],
);
export const ECHELLE_EXPTIME = 900;
const WAVECAL_EXPTIME = 120;

export type EchelleOptions = StisSpectroOptions;

/** Zero-indexed row of order `order`'s trace at column x, the MSM offset included. */
const traceRow = (order: number, x: number) => m.orderRow(order) - 1 + m.traceDisplacement(x) + m.SHIFT_A2;

export function scienceRate(n: number, expstart: number): Float32Array {
  const rate = new Float32Array(n * n).fill(m.SKY_RATE);
  for (const order of m.ORDERS) {
    const source = m.sourceRate(order);
    for (let x = 0; x < n; x++) {
      const wavelength = m.wavelengthAt(order, x - m.SHIFT_A1);
      const column = source(wavelength, expstart);
      const centre = traceRow(order, x);
      const sigma = m.profileSigma(wavelength);
      const y0 = Math.max(0, Math.floor(centre - 10 * sigma));
      const y1 = Math.min(n - 1, Math.ceil(centre + 10 * sigma));
      for (let y = y0; y <= y1; y++) rate[y * n + x]! += column * rowFraction(y, centre, sigma);
    }
  }
  return rate;
}

/** The wavecal: every lamp line an image of the aperture (Gaussian line × box of its width) in each order. */
export function lampRate(n: number): Float32Array {
  const rate = new Float32Array(n * n);
  const slit = m.SLIT.width1 / m.PLATE_SCALE;
  const height = m.SLIT.width2 / m.PLATE_SCALE;
  const samples = 8;
  for (const order of m.ORDERS) {
    const s = (m.LAMP_LINE_SIGMA / m.dispersionAt(order)) * Math.SQRT2;
    const lines = m.LAMP_LINES.map(([w, strength]) => [m.pixelOf(order, w), strength] as const);
    for (let x = 0; x < n; x++) {
      let column = m.LAMP_CONTINUUM * m.LAMP_RATE * slit;
      for (let k = 0; k < samples; k++) {
        const u = x - 0.5 + (k + 0.5) / samples - m.SHIFT_A1;
        for (const [p, strength] of lines) {
          if (Math.abs(u - p) > slit + 6 * s) continue;
          const box = 0.5 * (erf((u - p + slit / 2) / s) - erf((u - p - slit / 2) / s));
          column += (strength * box * m.LAMP_RATE) / samples;
        }
      }
      const centre = traceRow(order, x);
      for (let y = Math.floor(centre - height); y <= Math.ceil(centre + height); y++) {
        const lo = Math.max(y - 0.5, centre - height / 2);
        const hi = Math.min(y + 0.5, centre + height / 2);
        if (hi > lo && y >= 0 && y < n) rate[y * n + x]! += (column * (hi - lo)) / height;
      }
    }
  }
  return rate;
}

const spectralWcs = (): [string, string | number, string][] => [
  ["CRPIX1", m.A1CENTER, "x-coordinate of reference pixel"],
  ["CRPIX2", m.orderRow(100), "y-coordinate of reference pixel"],
  ["CRVAL1", m.CENWAVE, "first axis value at reference pixel"],
  ["CRVAL2", 0, "second axis value at reference pixel"],
  ["CTYPE1", "WAVE", "the coordinate type for the first axis"],
  ["CTYPE2", "ANGLE", "the coordinate type for the second axis"],
  ["CD1_1", Number(m.dispersionAt(100).toFixed(6)), "partial of first axis coordinate w.r.t. x"],
  ["CUNIT1", "angstrom", "units of first coordinate value"],
  ["CUNIT2", "deg", "units of second coordinate value"],
];

export function simulateEchelle(o: EchelleOptions) {
  const model = stisMamaModel("FUV-MAMA");
  const chip = model.chips[0]!;
  const maps = [makeChipMaps(model, chip, o.random.fork("maps/1"))];
  const spectralElements = { OPT_ELEM: m.OPT_ELEM };
  const context = { model, maps, seed: o.seed, dir: o.referenceDir, spectralElements, aperture: m.APERTURE };
  const mlintab = ref(context, "mlintab");
  writeStisMlintab(mlintab.path);
  const references: ReferenceFile[] = [
    ...writeCcdReferences(context, ["darkfile", "pfltfile", "bpixtab"]),
    mlintab,
    ...writeEchelleTables(context),
  ];
  writeHighRes(context, maps[0]!, "darkfile");
  const wavName = `${o.dataset}_wav.fits`;
  const referenceValue = (keyword: string) => {
    if (keyword === "WAVECAL") return wavName;
    const r = references.find((x) => x.filekind === keyword.toLowerCase());
    return r ? `${model.refPrefix}${r.name}` : "N/A";
  };
  const { flat, dark } = maps[0]!;
  const tau = STIS_MAMA_LINEARITY.find((r) => r.DETECTOR === "FUV-MAMA")!.TAU;

  const expose = (rootname: string, rate: Float32Array, start: number, exptime: number) => {
    const lamp = rootname.endsWith("_wav");
    let total = 0;
    const trueRate = rate.map((r, k) => {
      const t = r * flat[k]! + dark[k]!;
      total += t;
      return t;
    });
    const factor = Math.exp(-tau * total);
    const counts = o.random.fork(`${rootname}/counts`);
    const raw = Uint16Array.from(trueRate, (t) => Math.min(COUNTER_MAX, counts.poisson(t * factor * exptime)));
    const extra = [
      ...mamaExposureKeywords("FUV-MAMA", start, exptime, total * factor),
      ["DISPAXIS", 1, "dispersion axis; 1 = axis 1"] as [string, number, string],
      ["OM1CAT", m.DETECTOR_TEMPERATURE, "FUV-MAMA temperature (degC)"] as [string, number, string],
    ];
    const observation: Observation = {
      rootname: o.dataset,
      model,
      spectralElements,
      aperture: m.APERTURE,
      start,
      exptime,
      targname: lamp ? "WAVELINE" : "CALDP-SIM-STAR",
      ra: 150.1163,
      dec: 2.2058,
      crsplit: 1,
      nextend: 3,
      switches: SWITCHES.map(([k, v]) => [k, lamp && WAVECAL_OMITS.has(k) ? O : v]),
      references: REFERENCE_KEYWORDS.map((k) => [k, referenceValue(k)]),
      extra: [["FILTER", "Clear", "filter"]],
    };
    const primary = rawPrimaryHeader(observation);
    primary.set("OBSTYPE", "SPECTROSCOPIC");
    primary.set("CENWAVE", m.CENWAVE, { comment: "central wavelength of spectrum" });
    primary.set("SCLAMP", lamp ? m.LAMP.sclamp : "NONE", { comment: "lamp status, NONE or name of lamp which is on" });
    primary.set("LAMPSET", lamp ? m.LAMP.lampset : "0.0", { comment: "spectral cal lamp current value (milliamps)" });
    primary.set("APER_FOV", m.APER_FOV, { comment: "aperture field of view" });
    primary.set("POSTARG1", 0, { comment: "POSTARG in axis 1 direction", float: true });
    primary.set("POSTARG2", 0, { comment: "POSTARG in axis 2 direction", float: true });
    if (lamp) primary.set("IMAGETYP", "WAVECAL");
    primary.set("FILENAME", `${rootname}.fits`);
    primary.set("NRPTEXP", 1);
    primary.set("TEXPTIME", exptime);
    primary.set("ATODGAIN", 1.0);
    const path = join(o.out, `${rootname}.fits`);
    const base = { rootname: o.dataset, model, ra: 150.1163, dec: 2.2058, wcs: spectralWcs() };
    writeCcdRaw(path, primary, base, [{ chip, extver: 1, raw, extra }]);
    return path;
  };

  const n = chip.sciNx;
  const science = expose(`${o.dataset}_raw`, scienceRate(n, mjd(o.start)), o.start, ECHELLE_EXPTIME);
  const wavStart = o.start + ECHELLE_EXPTIME + 60;
  const wavecal = expose(`${o.dataset}_wav`, lampRate(n), wavStart, WAVECAL_EXPTIME);
  const truth = join(o.truthDir, `${o.dataset}_truth.fits`);
  writeEchelleTruth(truth, n, mjd(o.start));
  const crds = writeCrdsCache({ root: join(o.out, "crds"), model, references, datasetCards: unionCards(science) });
  return { science, wavecal, references, truth, crds, model, maps };
}

/** One SPECTRUM row per order: pixel, wavelength (MSM offset applied), flux, trace row (zero-indexed). */
function writeEchelleTruth(path: string, nx: number, startMjd: number): void {
  const header = new Header()
    .set("EXTNAME", "SPECTRUM")
    .set("SHIFTA1", m.SHIFT_A1, { comment: "simulated MSM offset along the dispersion (pixels)" })
    .set("SHIFTA2", m.SHIFT_A2, { comment: "simulated MSM offset across the dispersion (pixels)" })
    .set("SKYRATE", m.SKY_RATE, { comment: "background (counts/s/pixel)" })
    .set("TDSFACTR", m.tdsFactor(startMjd), { comment: "sensitivity loss simulated at the exposure" });
  const orders = m.ORDERS.length;
  const wavelength = Float64Array.from({ length: orders * nx }, (_, i) =>
    m.wavelengthAt(m.ORDERS[Math.floor(i / nx)]!, (i % nx) - m.SHIFT_A1),
  );
  const trace = Float64Array.from({ length: orders * nx }, (_, i) => traceRow(m.ORDERS[Math.floor(i / nx)]!, i % nx));
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(new Header().set("ORIGIN", "caldp sim (truth)"));
    const columns = [
      { name: "SPORDER", data: Int16Array.from(m.ORDERS), format: "1I" },
      { name: "WAVELENGTH", data: wavelength, format: `${nx}D`, unit: "Angstrom" },
      { name: "FLUX", data: wavelength.map(m.sourceFlux), format: `${nx}D`, unit: "erg/s/cm**2/Angstrom" },
      { name: "TRACE", data: trace, format: `${nx}D` },
    ];
    writer.writeTable(header, columns, orders);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/** The echelle observation in the shape of index.ts' SimulatedDataset. */
export function echelleDataset(o: EchelleOptions) {
  return asSimulatedDataset(o, simulateEchelle(o), "FUV-MAMA");
}

/**
 * A full-frame ACS/WFC dithered association written as flts (stage 1 skipped: the drizzle benchmark's input):
 * 2–4 exposures of two 4096×2048 chips each, stepped by sub-pixel and multi-pixel offsets (DITHER_STEPS) at one
 * PA_V3, an `_asn` with EXP-DTH members and a PROD-DTH product, and an IDCTAB, D2IMFILE and NPOLFILE in the
 * real formats (distortion-references.ts). The flts carry the pipeline (OPUS) WCS only, as calacs writes them
 * before updatewcs. Stars come from a catalogue in sky coordinates: each lands where the exposure's
 * distortion-corrected WCS (updatewcs on its own headers and the references) puts it, its rate divided by the
 * pixel area over the IDCTAB's nominal SCALE² (as in dither.ts), plus sky, Poisson and read noise and cosmic
 * rays (listed, DQ 0 as before driz_cr). SCI and ERR in electrons.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FitsFile, FitsWriter, type Header } from "../fits/index.js";
import { pixToSky, skyToPix, updatedChipWcs, updateWcs, type Wcs } from "../wcs/index.js";
import type { ReferenceGrid } from "../wcs/lookup-extensions.js";
import { writeAsnTable } from "./asn.js";
import { type DetectorModel, detectorModel } from "./detectors.js";
import { distortionScale, writeIdctab, writeLookupFile } from "./distortion-references.js";
import { DITHER_PSF_SIGMA, DITHER_STEPS, type DitherStar, pixelArea } from "./dither.js";
import { type Observation, rawExtensionHeader, rawPrimaryHeader } from "./headers.js";
import { instrumentSetup } from "./instruments.js";
import { Random } from "./random.js";
import { type ReferenceFile, referenceKeyword } from "./reference-files.js";
import { writeStarCatalogue } from "./star-catalogue.js";
import { renderStar } from "./star-profile.js";

const FIELD = { ra: 53.1625, dec: -27.7914, pav3: 118 };
const READ_NOISE = 4.5;

export interface WfcDitherExposure {
  rootname: string;
  flt: string;
  /** Per chip (EXTVER 1, 2): cosmic-ray hits as 0-based science pixel indices j·4096 + i. */
  cosmicRays: Uint32Array[];
}

export interface SimulatedWfcDither {
  asn: string;
  product: string;
  model: DetectorModel;
  exposures: WfcDitherExposure[];
  stars: DitherStar[];
  truth: string;
  /** IDCTAB, D2IMFILE, NPOLFILE paths; the flts name them as jref$<name>, jref = referenceDir. */
  references: Record<string, string>;
  referenceDir: string;
}

export interface WfcDitherOptions {
  asnId: string;
  out: string;
  exposures?: number;
  seed?: number;
  exptime?: number;
}

export function simulateWfcDither(options: WfcDitherOptions): SimulatedWfcDither {
  const asnId = options.asnId.toLowerCase();
  if (!/^j[a-z0-9]{7}0$/.test(asnId)) throw new Error(`'${options.asnId}': expected an ACS association name (j…0)`);
  const count = options.exposures ?? 4;
  if (!Number.isInteger(count) || count < 2 || count > DITHER_STEPS.length) throw new Error("exposures must be 2 to 4");
  const seed = options.seed ?? 1;
  const exptime = options.exptime ?? 500;
  const random = new Random(`wfc-dither/${seed}`);
  const referenceDir = join(options.out, "jref");
  mkdirSync(referenceDir, { recursive: true });
  mkdirSync(join(options.out, "truth"), { recursive: true });
  const model = detectorModel("ACS", "WFC");
  const setup = instrumentSetup(model, false);
  const filters = { filter1: setup.spectralElements.FILTER1, filter2: setup.spectralElements.FILTER2 };
  const references: ReferenceFile[] = [
    writeIdctab(model, seed, referenceDir, filters),
    writeLookupFile(model, seed, referenceDir, "d2imfile", filters),
    writeLookupFile(model, seed, referenceDir, "npolfile", filters),
  ];
  const grids = Object.fromEntries(references.slice(1).map((r) => [r.filekind, readGrids(r.path)]));
  const start = Date.parse("2004-09-24T11:05:12Z") / 1000;
  const asn = { id: asnId, table: `${asnId}_asn.fits`, memtype: "EXP-DTH" };
  const scale = model.pixelScale / 3600;
  const cosDec = Math.cos((FIELD.dec * Math.PI) / 180);
  const switches = setup.switches.map(([k, v]): [string, string] => [
    k,
    k === "DRIZCORR" ? "PERFORM" : v === "PERFORM" ? "COMPLETE" : v,
  ]);

  const plan = Array.from({ length: count }, (_, k) => {
    const rootname = `${asnId.slice(0, 6)}a${k + 1}q`;
    const [dx, dy] = DITHER_STEPS[k];
    const ra = FIELD.ra - (dx * scale) / cosDec;
    const dec = FIELD.dec + dy * scale;
    const observation: Observation = {
      rootname,
      model,
      spectralElements: setup.spectralElements,
      aperture: setup.aperture,
      start: start + k * (exptime + 150),
      exptime,
      targname: "CALDP-SIM-WFC-FIELD",
      ra,
      dec,
      asn,
      crsplit: 1,
      nextend: 6,
      switches,
      references: setup.referenceKeywords.map((keyword): [string, string] => [
        keyword,
        referenceKeyword(model, references, keyword),
      ]),
      extra: [...setup.extra, ["PA_V3", FIELD.pav3, "position angle of V3-axis of HST (deg)"]],
    };
    const primary = rawPrimaryHeader(observation).set("FILENAME", `${rootname}_flt.fits`);
    // the read noise calacs records in the flt: AstroDrizzle's median and driz_cr read it
    for (const a of model.chips.flatMap((c) => c.amps)) primary.set(`READNSE${a.amp}`, a.readNoise);
    const sci = model.chips.map((chip) => fltScienceHeader(model, chip.extver, rootname, ra, dec));
    const wcs = distortionWcs(rootname, primary, sci, references, grids);
    return { rootname, ra, dec, primary, sci, wcs };
  });

  const stars = catalogue(plan[0].wcs, model, random.fork("stars"));
  const area = (distortionScale(model) / 3600) ** 2;
  const exposures = plan.map((p, k): WfcDitherExposure => {
    const flt = join(options.out, `${p.rootname}_flt.fits`);
    const writer = new FitsWriter(flt);
    const cosmicRays: Uint32Array[] = [];
    try {
      writer.writeImage(p.primary);
      model.chips.forEach((chip, c) => {
        const noise = random.fork(`exposure/${k}/chip/${chip.ccdchip}`);
        const [nx, ny] = [chip.sciNx, chip.sciNy];
        const rate = new Float32Array(nx * ny).fill(model.sky);
        for (const s of stars) {
          const [x, y] = skyToPix(p.wcs[c], s.ra, s.dec);
          if (x < -20 || y < -20 || x > nx + 20 || y > ny + 20) continue;
          renderStar(rate, nx, ny, x - 1, y - 1, (s.flux * area) / pixelArea(p.wcs[c], x, y), DITHER_PSF_SIGMA);
        }
        const { sci, err, hits } = expose(rate, exptime, model.crRate, noise);
        cosmicRays.push(hits);
        const header = (extname: "SCI" | "ERR" | "DQ") =>
          extname === "SCI" ? p.sci[c] : fltScienceHeader(model, chip.extver, p.rootname, p.ra, p.dec, extname);
        writer.writeImage(header("SCI"), sci, [nx, ny]);
        writer.writeImage(header("ERR"), err, [nx, ny]);
        writer.writeConstantImage(header("DQ"), 0, [nx, ny], 16);
      });
      writer.close();
    } catch (e) {
      writer.abort();
      throw e;
    }
    return { rootname: p.rootname, flt, cosmicRays };
  });

  const asnPath = join(options.out, asn.table);
  const product = `${asnId.slice(0, 8)}1`;
  const rows = exposures.map((e) => ({ name: e.rootname, type: "EXP-DTH", present: true }));
  rows.push({ name: product, type: "PROD-DTH", present: true });
  writeAsnTable(asnPath, asnId, model, rows, "CALDP-SIM-WFC-FIELD");
  const truth = join(options.out, "truth", `${asnId}_stars.fits`);
  writeStarCatalogue(truth, stars);
  return {
    asn: asnPath,
    product,
    model,
    exposures,
    stars,
    truth,
    references: Object.fromEntries(references.map((r) => [r.filekind.toUpperCase(), r.path])),
    referenceDir,
  };
}

/** The flt's SCI/ERR/DQ header: the raw's with the overscan offsets folded into CRPIX, as calacs writes it. */
function fltScienceHeader(
  model: DetectorModel,
  extver: number,
  rootname: string,
  ra: number,
  dec: number,
  extname: "SCI" | "ERR" | "DQ" = "SCI",
): Header {
  const chip = model.chips[extver - 1];
  const bunit = extname === "DQ" ? "UNITLESS" : "ELECTRONS";
  const h = rawExtensionHeader({ extname, extver, rootname, chip, model, ra, dec, bunit });
  // calacs counts the good pixels; stwcs's updatewcs refuses a file without NGOODPIX
  if (extname !== "DQ") h.set("NGOODPIX", chip.sciNx * chip.sciNy, { comment: "number of good pixels" });
  h.set("CRPIX1", h.getNumber("CRPIX1") - h.getNumber("LTV1", 0));
  h.set("CRPIX2", h.getNumber("CRPIX2") - h.getNumber("LTV2", 0));
  return h.set("LTV1", 0).set("LTV2", 0);
}

/** electrons = rate·t + Poisson (as Gaussian: > 100 e- everywhere here) + read noise, then cosmic-ray hits. */
function expose(rate: Float32Array, exptime: number, crRate: number, random: Random) {
  const sci = new Float32Array(rate.length);
  const err = new Float32Array(rate.length);
  for (let k = 0; k < rate.length; k++) {
    const mean = rate[k] * exptime;
    const sigma = Math.sqrt(mean + READ_NOISE * READ_NOISE);
    sci[k] = mean + sigma * random.normal();
    err[k] = sigma;
  }
  const hits = new Uint32Array(Math.round((crRate * exptime * rate.length) / 1e6));
  for (let n = 0; n < hits.length; n++) {
    hits[n] = random.int(rate.length);
    sci[hits[n]] += 300 + 3000 * random.uniform();
  }
  return { sci, err, hits: hits.sort() };
}

function readGrids(path: string): ReferenceGrid[] {
  const file = FitsFile.open(path);
  try {
    return file.hdus
      .filter((h) => h.name === "DX" || h.name === "DY")
      .map((h) => {
        const image = file.readImage(h);
        const data = Float32Array.from(image.data as ArrayLike<number>);
        return { header: h.header, axes: [image.axes[0], image.axes[1]] as [number, number], data };
      });
  } finally {
    file.close();
  }
}

/** Both chips' distortion-corrected WCS: updatewcs (src/wcs) on the flt's headers and the simulated references. */
function distortionWcs(
  rootname: string,
  primary: Header,
  sci: Header[],
  references: ReferenceFile[],
  grids: Record<string, ReferenceGrid[]>,
): Wcs[] {
  const name = (kind: string) => String(primary.get(kind.toUpperCase()));
  const idc = FitsFile.open(references[0].path);
  try {
    const out = updateWcs({
      file: `${rootname}_flt.fits`,
      primary,
      sci,
      idctab: { name: name("idctab"), primary: idc.hdus[0].header, table: idc.readTable(1) },
      d2imfile: { name: name("d2imfile"), grids: grids.d2imfile },
      npolfile: { name: name("npolfile"), grids: grids.npolfile },
    });
    return out.sci.map((_, k) => updatedChipWcs(out, k));
  } finally {
    idc.close();
  }
}

/** A jittered 10 × 5 grid of stars per chip of the first exposure, 80 px inside its edges (room for the steps). */
function catalogue(wcs: Wcs[], model: DetectorModel, random: Random): DitherStar[] {
  const stars: DitherStar[] = [];
  model.chips.forEach((chip, c) => {
    const [nx, ny] = [chip.sciNx, chip.sciNy];
    for (let k = 0; k < 50; k++) {
      const x = 80 + ((k % 10) + random.uniform() * 0.5) * ((nx - 160) / 10);
      const y = 80 + (Math.floor(k / 10) + random.uniform() * 0.5) * ((ny - 160) / 5);
      const [ra, dec] = pixToSky(wcs[c], x, y);
      stars.push({ ra, dec, flux: 2000 + 1500 * random.uniform() });
    }
  });
  return stars;
}

/**
 * A dithered ACS/HRC association (`_asn` with EXP-DTH members and a PROD-DTH product): 2–4 exposures whose
 * pointings (RA_TARG/DEC_TARG and the raws' WCS) move by sub-pixel and multi-pixel steps at one PA_V3, with
 * an IDCTAB and NPOLFILE in the real formats (distortion-references.ts; HRC has no D2IMFILE, as in CRDS) and
 * their rmaps in the simulated CRDS cache. The truth is a star catalogue in sky coordinates: each exposure's
 * stars are placed where its distortion-corrected WCS (updatewcs on the exposure's own headers and the
 * simulated references) puts their RA/Dec, with the rate divided by the pixel-area map (local pixel area over
 * the IDCTAB's nominal SCALE², as HST's PAMs are normalised): the flat field makes the sky flat, so a point
 * source's flt counts carry the area; drizzling at the nominal scale gives the catalogue rate back.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FitsFile, type Header } from "../fits/index.js";
import { pixToSky, skyToPix, updatedChipWcs, updateWcs, type Wcs } from "../wcs/index.js";
import { writeAsnTable } from "./asn.js";
import { exposeCcdChip, type PixelList } from "./ccd.js";
import { writeCrdsCache } from "./crds-cache.js";
import { unionCards } from "./dataset-cards.js";
import { type DetectorModel, detectorModel } from "./detectors.js";
import { distortionScale, writeIdctab, writeLookupFile } from "./distortion-references.js";
import { type Observation, rawExtensionHeader, rawPrimaryHeader } from "./headers.js";
import { instrumentSetup } from "./instruments.js";
import { makeChipMaps } from "./maps.js";
import { Random } from "./random.js";
import { writeCcdRaw } from "./raw.js";
import { type ReferenceFile, referenceKeyword } from "./reference-files.js";
import { writeCcdReferences } from "./references-ccd.js";
import { writeStarCatalogue } from "./star-catalogue.js";
import { renderStar } from "./star-profile.js";

/** Pointing steps of the exposures in pixels of the pipeline (OPUS) WCS: sub-pixel and multi-pixel parts. */
export const DITHER_STEPS: readonly [number, number][] = [
  [0, 0],
  [5.5, 3.25],
  [-2.75, 10.5],
  [12.25, -6.75],
];
const FIELD = { ra: 150.1163, dec: 2.2058, pav3: 135 };
/** Gaussian PSF sigma (pixels); stars are exactly pixel-integrated. */
export const DITHER_PSF_SIGMA = 1.4;

export interface DitherStar {
  ra: number;
  dec: number;
  /** e-/s (what a drizzled image in e-/s sums to). */
  flux: number;
}

export interface DitherExposure {
  rootname: string;
  raw: string;
  ra: number;
  dec: number;
  /** Cosmic rays in science (0-based) pixels of the single chip. */
  cosmicRays: PixelList;
  /** Where the distortion-corrected WCS puts each catalogue star (FITS 1-based science pixels). */
  stars: [number, number][];
}

export interface SimulatedDither {
  asn: string;
  product: string;
  model: DetectorModel;
  exposures: DitherExposure[];
  stars: DitherStar[];
  /** The catalogue as a FITS table (STARS: RA, DEC, FLUX). */
  truth: string;
  references: Record<string, string>;
  referenceDir: string;
  crds: { root: string; context: string; mappings: string[] };
}

export interface DitherOptions {
  /** Association IPPPSSOOT ending in 0 (members …a1q, …a2q, product …1). */
  asnId: string;
  out: string;
  exposures?: number;
  seed?: number;
  exptime?: number;
  /** Each exposure's sky as a multiple of the detector's (default 1 each): skies that sky matching must equalise. */
  skyFactors?: number[];
}

export function simulateDither(options: DitherOptions): SimulatedDither {
  const asnId = options.asnId.toLowerCase();
  if (!/^j[a-z0-9]{7}0$/.test(asnId)) throw new Error(`'${options.asnId}': expected an ACS association name (j…0)`);
  const count = options.exposures ?? 3;
  if (!Number.isInteger(count) || count < 2 || count > DITHER_STEPS.length) throw new Error("exposures must be 2 to 4");
  const seed = options.seed ?? 1;
  const exptime = options.exptime ?? 300;
  const random = new Random(seed);
  const referenceDir = join(options.out, "crds", "references", "hst");
  mkdirSync(referenceDir, { recursive: true });
  mkdirSync(join(options.out, "truth"), { recursive: true });
  const model = detectorModel("ACS", "HRC");
  const chip = model.chips[0];
  const base = instrumentSetup(model, false);
  const setup = {
    ...base,
    switches: base.switches.map(([k, v]): [string, string] => [k, k === "DRIZCORR" ? "PERFORM" : v]),
  };
  const maps = [makeChipMaps(model, chip, random.fork(`maps/${chip.ccdchip}`))];
  const filters = { filter1: setup.spectralElements.FILTER1, filter2: setup.spectralElements.FILTER2 };
  const references: ReferenceFile[] = [
    ...writeCcdReferences({ model, maps, seed, dir: referenceDir, ...setup }),
    writeIdctab(model, seed, referenceDir, filters),
    writeLookupFile(model, seed, referenceDir, "npolfile", filters),
  ];
  const start = Date.parse("2002-04-13T18:16:35Z") / 1000;
  const asn = { id: asnId, table: `${asnId}_asn.fits`, memtype: "EXP-DTH" };
  const scale = model.pixelScale / 3600;
  const cosDec = Math.cos((FIELD.dec * Math.PI) / 180);

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
      start: start + k * (exptime + 120),
      exptime,
      targname: "CALDP-SIM-FIELD",
      ra,
      dec,
      asn,
      crsplit: 1,
      nextend: 3,
      switches: setup.switches,
      references: setup.referenceKeywords.map((keyword) => [
        keyword,
        setup.irrelevant.has(keyword.toLowerCase()) ? "N/A" : referenceKeyword(model, references, keyword),
      ]),
      extra: [...setup.extra, ["PA_V3", FIELD.pav3, "position angle of V3-axis of HST (deg)"]],
    };
    const primary = rawPrimaryHeader(observation);
    const wcs = distortionWcs(rootname, primary, rawExtensionHeader(sciBase(model, rootname, ra, dec)), references);
    return { rootname, ra, dec, primary, wcs };
  });

  const stars = catalogue(plan[0].wcs, chip.sciNx, chip.sciNy, random.fork("stars"));
  const exposures: DitherExposure[] = plan.map((p, k) => {
    const rate = new Float32Array(chip.sciNx * chip.sciNy).fill(model.sky * (options.skyFactors?.[k] ?? 1));
    const area = (distortionScale(model) / 3600) ** 2;
    const positions = stars.map((s): [number, number] => {
      const [x, y] = skyToPix(p.wcs, s.ra, s.dec);
      renderStar(
        rate,
        chip.sciNx,
        chip.sciNy,
        x - 1,
        y - 1,
        (s.flux * area) / pixelArea(p.wcs, x, y),
        DITHER_PSF_SIGMA,
      );
      return [x, y];
    });
    const result = exposeCcdChip(model, maps[0], rate, exptime, exptime, random.fork(`exposure/${k}`));
    const raw = join(options.out, `${p.rootname}_raw.fits`);
    writeCcdRaw(raw, p.primary, { rootname: p.rootname, model, ra: p.ra, dec: p.dec }, [
      { chip, extver: 1, raw: result.raw },
    ]);
    return { rootname: p.rootname, raw, ra: p.ra, dec: p.dec, cosmicRays: result.cosmicRays, stars: positions };
  });

  const asnPath = join(options.out, asn.table);
  const product = `${asnId.slice(0, 8)}1`;
  const rows = exposures.map((e) => ({ name: e.rootname, type: "EXP-DTH", present: true }));
  rows.push({ name: product, type: "PROD-DTH", present: true });
  writeAsnTable(asnPath, asnId, model, rows, "CALDP-SIM-FIELD");
  const truth = join(options.out, "truth", `${asnId}_stars.fits`);
  writeStarCatalogue(truth, stars);
  const crds = writeCrdsCache({
    root: join(options.out, "crds"),
    model,
    references,
    datasetCards: unionCards(exposures[0].raw),
  });
  return {
    asn: asnPath,
    product,
    model,
    exposures,
    stars,
    truth,
    references: Object.fromEntries(references.map((r) => [r.filekind.toUpperCase(), r.path])),
    referenceDir,
    crds,
  };
}

const sciBase = (model: DetectorModel, rootname: string, ra: number, dec: number) => ({
  extname: "SCI" as const,
  extver: 1,
  rootname,
  chip: model.chips[0],
  model,
  ra,
  dec,
});

/**
 * The exposure's distortion-corrected WCS in science (trimmed) pixels: stwcs's updatewcs (src/wcs) on the
 * raw's SCI header with the overscan offsets removed, as calacs writes the flt's, and the references.
 */
function distortionWcs(rootname: string, primary: Header, sci: Header, references: ReferenceFile[]): Wcs {
  const flt = sci.clone();
  flt.set("CRPIX1", sci.getNumber("CRPIX1") - sci.getNumber("LTV1", 0));
  flt.set("CRPIX2", sci.getNumber("CRPIX2") - sci.getNumber("LTV2", 0));
  flt.set("LTV1", 0).set("LTV2", 0);
  const path = (kind: string) => references.find((r) => r.filekind === kind)!.path;
  const name = (kind: string) => String(primary.get(kind.toUpperCase()));
  const idc = FitsFile.open(path("idctab"));
  const npl = FitsFile.open(path("npolfile"));
  try {
    const grids = npl.hdus
      .filter((h) => h.name === "DX" || h.name === "DY")
      .map((h) => {
        const image = npl.readImage(h);
        return {
          header: h.header,
          axes: [image.axes[0], image.axes[1]] as [number, number],
          data: Float32Array.from(image.data as ArrayLike<number>),
        };
      });
    const out = updateWcs({
      file: `${rootname}_raw.fits`,
      primary,
      sci: [flt],
      idctab: { name: name("idctab"), primary: idc.hdus[0].header, table: idc.readTable(1) },
      npolfile: { name: name("npolfile"), grids },
    });
    return updatedChipWcs(out, 0);
  } finally {
    idc.close();
    npl.close();
  }
}

/** Sky area of the pixel at (x, y) (1-based), from the full WCS by central differences, in square degrees. */
export function pixelArea(wcs: Wcs, x: number, y: number): number {
  const cosDec = Math.cos((wcs.crval[1] * Math.PI) / 180);
  const [r1, d1] = pixToSky(wcs, x + 0.5, y);
  const [r0, d0] = pixToSky(wcs, x - 0.5, y);
  const [r3, d3] = pixToSky(wcs, x, y + 0.5);
  const [r2, d2] = pixToSky(wcs, x, y - 0.5);
  return Math.abs((r1 - r0) * cosDec * (d3 - d2) - (r3 - r2) * cosDec * (d1 - d0));
}

/** A jittered 6 × 6 grid of stars 60 px inside the first exposure's frame (room for the dither steps). */
function catalogue(wcs: Wcs, nx: number, ny: number, random: Random): DitherStar[] {
  const stars: DitherStar[] = [];
  for (let k = 0; k < 36; k++) {
    const x = 60 + ((k % 6) + random.uniform() * 0.5) * ((nx - 120) / 6);
    const y = 60 + (Math.floor(k / 6) + random.uniform() * 0.5) * ((ny - 120) / 6);
    const [ra, dec] = pixToSky(wcs, x, y);
    stars.push({ ra, dec, flux: 2500 + 1000 * random.uniform() });
  }
  return stars;
}

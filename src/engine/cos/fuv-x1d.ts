/**
 * X1DCORR of one FUV segment (calcos' extract1D on `_flt_a`/`_flt_b` with XTRCTALG = BOXCAR): the segment's PSA
 * row of the XTRACTAB and DISPTAB (by OPT_ELEM, CENWAVE, APERTURE, SEGMENT; FPOFFSET for the DISPTAB), the box and
 * background bands on the 16384-column image (X_OFFSET 0), DPIXEL1x once WAVECORR is COMPLETE, SNR_FF from the
 * flat's extension of the segment, EXPTIMEx; FLUXCORR/TDSCORR at the wavelengths before HELCORR. Then calcos'
 * concatenateFUVSegments: one `_x1d` with a row per segment, segment A's headers with segment B's keywords; the
 * extraction keywords (SP_LOC_x, SP_OFF_x from calcos' xdSearch, B_BKG1_x, …) copied back into the `_flt`,
 * `_counts` and `_corrtag` as calcos' copyKeywordsToInput and updateCorrtagKeywords do.
 */
import { basename, join } from "node:path";
import { boxcarExtract } from "../../calib/cos/boxcar.js";
import { SPEED_OF_LIGHT, wavelengthAt } from "../../calib/cos/doppcorr.js";
import { FUV_X } from "../../calib/cos/events.js";
import { xdSearch } from "../../calib/cos/x1d-xd-search.js";
import { FitsFile, type Header, rewriteHeaders } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { fluxCorrect } from "./fluxcorr.js";
import { copyKeywords } from "./fuv-merge.js";
import type { FuvSegment } from "./fuv-switches.js";
import { loadSpectroTables } from "./spectro-tables.js";
import { requiredReference } from "./switches.js";
import type { StripeSpectrum } from "./x1d.js";
import { writeX1d } from "./x1d-product.js";

/** What one segment's extraction gives the `_x1d`: its row, headers (the `_flt`'s, steps done) and trailer lines. */
export interface FuvSegmentX1d {
  stripe: StripeSpectrum;
  primary: Header;
  sci: Header;
  trailer: string[];
}

const upper = (h: Header, key: string) =>
  String(h.get(key) ?? "OMIT")
    .trim()
    .toUpperCase();

/** SNR_FF of the flat's extension named after the segment when FLATCORR was done (calcos' getSnrFf), else 0. */
function segmentFlatSnr(primary: Header, env: Env, segment: FuvSegment): number {
  if (upper(primary, "FLATCORR") !== "COMPLETE") return 0;
  const file = FitsFile.open(requiredReference(primary, "FLATFILE", env, "X1DCORR"));
  try {
    const hdu = file.hdus.find((h) => h.header.getString("EXTNAME", "").trim().toUpperCase() === segment);
    return hdu?.header.getNumber("SNR_FF", 0) ?? 0;
  } finally {
    file.close();
  }
}

export function extractFuvSegment(
  primary: Header,
  eventsHeader: Header,
  images: { flt: Float32Array; counts: Float32Array; dq: Int16Array; nx: number; ny: number },
  env: Env,
  segment: FuvSegment,
): FuvSegmentX1d {
  const xtractab = requiredReference(primary, "XTRACTAB", env, "X1DCORR");
  const tables = loadSpectroTables(xtractab, requiredReference(primary, "DISPTAB", env, "X1DCORR"), "X1DCORR");
  const sci = eventsHeader.clone();
  sci.removeWhere((card) => /^(TTYPE|TFORM|TUNIT|TDISP|TNULL|TSCAL|TZERO|TDIM)\d+$/.test(card.keyword));
  const letter = segment.slice(-1);
  const backcorr = upper(primary, "BACKCORR") === "PERFORM";
  const helcorr = ["PERFORM", "COMPLETE"].includes(upper(primary, "HELCORR"));
  const filter = {
    OPT_ELEM: primary.getString("OPT_ELEM").trim(),
    CENWAVE: primary.getInt("CENWAVE"),
    APERTURE: primary.getString("APERTURE", "PSA").trim(),
    SEGMENT: segment,
  };
  const row = tables.boxcarRow(filter, "X1DCORR");
  const dispersion = tables.dispersion({ ...filter, FPOFFSET: primary.getInt("FPOFFSET", 0) });
  const dpixel1 = upper(primary, "WAVECORR") === "COMPLETE" ? sci.getNumber(`DPIXEL1${letter}`, 0) : 0;
  const { nx } = images;
  const vHelio = sci.getNumber("V_HELIO", 0);
  const wavelength = new Float64Array(nx);
  const restWavelength = new Float64Array(nx);
  for (let i = 0; i < nx; i++) {
    const wl = wavelengthAt(dispersion, i + dpixel1);
    restWavelength[i] = wl;
    wavelength[i] = helcorr ? wl + (wl * -vHelio) / SPEED_OF_LIGHT : wl;
  }
  const exptime = sci.getNumber(`EXPTIME${letter}`, sci.getNumber("EXPTIME", 0));
  const flt = { data: images.flt, nx, ny: images.ny };
  const dq = { data: images.dq, nx, ny: images.ny };
  const where = `${segment} of XTRACTAB ${basename(xtractab)}`;
  const found = xdSearch(flt, dq, restWavelength, row.slope, row.bSpec, 0, true, where);
  const other = letter === "A" ? "B" : "A";
  sci.set(`SP_ERR_${letter}`, found.sigma, { float: true, comment: `error estimate for SP_LOC_${letter}` });
  sci.set(`SP_ERR_${other}`, -999, { float: true, comment: `error estimate for SP_LOC_${other}` });
  sci.set(`SP_OFF_${letter}`, found.offset, { float: true, comment: `offset of spectrum from nominal, ${letter}` });
  const spectrum = boxcarExtract(
    {
      flt,
      counts: { data: images.counts, nx, ny: images.ny },
      dq,
      row,
      xOffset: 0,
      shift1: 0,
      shift2: 0,
      sdqflags: sci.getInt("SDQFLAGS", 0),
      snrFf: segmentFlatSnr(primary, env, segment),
      exptime,
      backcorr,
      detectorX: FUV_X,
    },
    where,
  );
  const { height, bSpec, slope, bBkg1, bBkg2, bHgt1, bHgt2 } = row;
  const stripe: StripeSpectrum = {
    ...spectrum,
    segment,
    exptime,
    wavelength,
    restWavelength,
    flux: new Float32Array(nx),
    height,
    bSpec,
    slope,
    backgroundBoxes: { bBkg1, bBkg2, bHgt1, bHgt2 },
  };
  const trailer = [
    `X1DCORR   PERFORM (BOXCAR, XTRACTAB ${basename(xtractab)})`,
    `BACKCORR  ${backcorr ? "PERFORM" : "OMIT"}`,
    `${segment} spectrum found at y = ${found.location.toFixed(2)} ± ${found.sigma.toFixed(2)}, extracted at y = ${spectrum.location.toFixed(2)}`,
  ];
  const x1dPrimary = primary.clone().set("X1DCORR", "COMPLETE");
  if (backcorr) x1dPrimary.set("BACKCORR", "COMPLETE");
  if (upper(primary, "FLUXCORR") === "PERFORM") {
    const fluxtab = requiredReference(primary, "FLUXTAB", env, "FLUXCORR");
    const tdsPerform = upper(primary, "TDSCORR") === "PERFORM";
    const tdsNa = ["", "N/A"].includes(upper(primary, "TDSTAB"));
    const tdstab = tdsPerform && !tdsNa ? requiredReference(primary, "TDSTAB", env, "TDSCORR") : undefined;
    const done = fluxCorrect(primary, sci, [stripe], { fluxtab, tdstab });
    for (const [step, value] of Object.entries(done.completed)) x1dPrimary.set(step, value);
    if (tdsPerform && tdsNa) x1dPrimary.set("TDSCORR", "SKIPPED");
    trailer.push(...done.trailer);
  }
  if (helcorr) x1dPrimary.set("HELCORR", "COMPLETE");
  return { stripe, primary: x1dPrimary, sci, trailer };
}

/**
 * calcos' concatenateFUVSegments: rows A then B under segment A's headers (SEGMENT = BOTH), segment B's
 * segment-specific keywords copied in, EXPTIME the longer segment's, NEVENTS their sum. One segment alone is
 * written as it is.
 */
export function writeFuvX1d(outDir: string, root: string, segments: FuvSegmentX1d[]): void {
  const ordered = [...segments].sort((a, b) => a.stripe.segment.localeCompare(b.stripe.segment));
  const [first, second] = ordered;
  const primary = first.primary.clone();
  const sci = first.sci.clone();
  if (second) {
    copyKeywords(second.sci, sci, "B");
    const exptime = (x1d: FuvSegmentX1d, s: string) => x1d.sci.getNumber(`EXPTIME${s}`, x1d.sci.getNumber("EXPTIME"));
    sci.set("EXPTIME", Math.max(exptime(first, "A"), exptime(second, "B")));
    const nevents = (x1d: FuvSegmentX1d, s: string) =>
      x1d.sci.getNumber(`NEVENTS${s}`, x1d.sci.getNumber("NEVENTS", 0));
    sci.set("NEVENTS", nevents(first, "A") + nevents(second, "B"));
    primary.set("SEGMENT", "BOTH");
  }
  const path = join(outDir, `${root}_x1d.fits`);
  writeX1d(
    path,
    primary,
    sci,
    ordered.map((s) => s.stripe),
    FUV_X,
  );
  const written = FitsFile.open(path);
  try {
    copyExtractionKeywords(outDir, root, ordered, written.hdus[1].header);
  } finally {
    written.close();
  }
}

const EXTRACTION_KEYS = ["SP_LOC_", "SP_OFF_", "SP_ERR_", "SP_NOM_", "SP_SLP_", "SP_HGT_"].concat([
  "B_BKG1_",
  "B_BKG2_",
  "B_HGT1_",
  "B_HGT2_",
]);

/** The `_x1d`'s extraction keywords of both segments into each `_flt`/`_counts` (−999 when absent), each segment's own into its `_corrtag`. */
function copyExtractionKeywords(outDir: string, root: string, segments: FuvSegmentX1d[], x1d: Header): void {
  const value = (key: string) => {
    const v = x1d.get(key);
    return typeof v === "number" ? v : -999;
  };
  for (const { stripe } of segments) {
    const s = stripe.segment.slice(-1).toLowerCase();
    const own = EXTRACTION_KEYS.map((k) => `${k}${s.toUpperCase()}`);
    const all = EXTRACTION_KEYS.flatMap((k) => [`${k}A`, `${k}B`]);
    for (const [kind, keys] of [
      ["flt", all],
      ["counts", all],
      ["corrtag", own],
    ] as const) {
      rewriteHeaders(join(outDir, `${root}_${kind}_${s}.fits`), (header, hdu) => {
        if (hdu.index !== 1) return;
        for (const key of keys) header.set(key, value(key), { float: !/_HGT/.test(key) });
      });
    }
  }
}

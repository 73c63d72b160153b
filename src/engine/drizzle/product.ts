/**
 * Writes a drizzle stage's result as the archive's `_drz`/`_drc`: PRIMARY (the first input's primary with
 * NDRIZIM, the D###* parameters per input chip, the summed EXPTIME and the EXPSTART/EXPEND span), SCI (cps,
 * the output WCS, the photometry of the first chip), WHT, CTX and HDRTAB (the primary and SCI keywords of every
 * input chip, one row each, as drizzlepac writes it). Written under a temporary name and renamed.
 */
import { basename } from "node:path";
import { type ColumnSpec, FitsWriter, Header, type HeaderValue } from "../../fits/index.js";
import { writeWcs } from "../../wcs/index.js";
import type { MdriztabRow } from "./mdriztab.js";
import type { StageResult } from "./stage.js";

const PHOTOMETRY = ["PHOTMODE", "PHOTFLAM", "PHOTZPT", "PHOTPLAM", "PHOTBW"];

function drizzleKeywords(primary: Header, result: StageResult, output: string): void {
  const { chips, options, frame } = result;
  const root = basename(output).replace(/\.fits$/i, "");
  primary.set("NDRIZIM", chips.length, { comment: "Drizzle, No. images drizzled onto output" });
  chips.forEach((chip, i) => {
    const p = `D${String(i + 1).padStart(3, "0")}`;
    const scale = chip.header.get("IDCSCALE");
    const set = (k: string, v: HeaderValue, comment: string) => primary.set(`${p}${k}`, v, { comment });
    set("VER", "caldp native drizzle (cdrizzle kernels)", "Drizzle, task version");
    set("GEOM", "Header WCS", "Drizzle, source of geometric information");
    set("DATA", `${basename(chip.file)}[sci,${chip.extver}]`, "Drizzle, input data image");
    set("DEXP", chip.exposureTime, "Drizzle, input image exposure time (s)");
    set("OUDA", basename(output), "Drizzle, output data image");
    set("OUWE", `${root}_wht.fits`, "Drizzle, output weighting image");
    set("OUCO", `${root}_ctx.fits`, "Drizzle, output context image");
    set(
      "MASK",
      `${options.weightType} weights, DQ & ~${options.bits < 0 ? "default" : options.bits}`,
      "Drizzle, input weighting image",
    );
    set("WTSC", options.weightType === "EXP" ? chip.exposureTime : 1, "Drizzle, weighting factor for input image");
    set("KERN", options.kernel, "Drizzle, form of weight distribution kernel");
    set("PIXF", options.pixfrac, "Drizzle, linear size of drop");
    set("COEF", chip.wcs.sip ? "SIP" : "Header WCS", "Drizzle, source of coefficients");
    set("SCAL", frame.scale, "Drizzle, pixel size (arcsec) of output image");
    set("ISCL", typeof scale === "number" ? scale : frame.scale, "Drizzle, default IDCTAB pixel size(arcsec)");
    set("OUUN", "cps", "Drizzle, units of output image - counts or cps");
    set(
      "FVAL",
      Number.isNaN(options.fillValue) ? "INDEF" : String(options.fillValue),
      "Drizzle, fill value for zero weight output pix",
    );
    set("WKEY", "", "Input image WCS Version used");
  });
}

function exposureKeywords(primary: Header, result: StageResult): void {
  const exposures = new Map(result.chips.map((c) => [c.file, c.primary]));
  const values = (k: string) =>
    [...exposures.values()].map((h) => h.get(k)).filter((v): v is number => typeof v === "number");
  const total = values("EXPTIME").reduce((a, b) => a + b, 0);
  primary.set("EXPTIME", total, { comment: "exposure duration (seconds)--calculated" });
  primary.set("TEXPTIME", total, { comment: "total exposure time (seconds)" });
  const starts = values("EXPSTART");
  const ends = values("EXPEND");
  if (starts.length > 0)
    primary.set("EXPSTART", Math.min(...starts), { comment: "exposure start time (Modified Julian Date)" });
  if (ends.length > 0)
    primary.set("EXPEND", Math.max(...ends), { comment: "exposure end time (Modified Julian Date)" });
  primary.set("DRIZCORR", "COMPLETE", { comment: "drizzle processing" });
}

/** One HISTORY line per AstroDrizzle step: run natively with its parameters, or switched off. */
function stepHistory(primary: Header, result: StageResult, row: MdriztabRow | undefined): void {
  if (row) primary.addCommentary("HISTORY", `AstroDrizzle parameters from MDRIZTAB ${row.table} row ${row.row}`);
  for (const step of result.steps) {
    const text = step.ran ? `run natively: ${step.detail}` : step.detail;
    primary.addCommentary("HISTORY", `AstroDrizzle step ${step.name}: ${text}`);
  }
  for (const step of result.skipped) primary.addCommentary("HISTORY", `AstroDrizzle step ${step}: not run`);
}

function imageHeader(extname: string, result: StageResult): Header {
  const h = new Header();
  h.set("INHERIT", true, { comment: "inherit the primary header" });
  h.set("EXTNAME", extname, { comment: "extension name" });
  h.set("EXTVER", 1);
  writeWcs(h, result.frame.wcs);
  h.set("ORIENTAT", result.frame.orientation, { float: true, comment: "position angle of image y axis (deg. e of n)" });
  return h;
}

/** One row per input chip: its primary and SCI keywords, ROOTNAME, EXTNAME and EXTVER first (as drizzlepac). */
function hdrtab(result: StageResult): { columns: ColumnSpec[]; rows: number } {
  const integers = new Set<string>();
  const rows = result.chips.map((c) => {
    const merged = new Map<string, HeaderValue>([
      ["EXTNAME", "SCI"],
      ["EXTVER", c.extver],
    ]);
    integers.add("EXTVER");
    for (const h of [c.primary, c.header]) {
      for (const card of h.cards) {
        if (!card.keyword || SKIPPED.test(card.keyword) || merged.has(card.keyword)) continue;
        const v = card.value;
        if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") merged.set(card.keyword, v);
        if (card.kind === "int") integers.add(card.keyword);
      }
    }
    return merged;
  });
  const names = [...new Set(["ROOTNAME", "EXTNAME", "EXTVER", ...rows.flatMap((r) => [...r.keys()])])];
  const columns: ColumnSpec[] = names.map((name) => {
    const values = rows.map((r) => r.get(name));
    if (values.every((v) => typeof v === "number")) {
      const numbers = values as number[];
      if (integers.has(name) && numbers.every(Number.isInteger))
        return { name, data: BigInt64Array.from(numbers, BigInt) };
      return { name, data: Float64Array.from(numbers) };
    }
    return { name, data: values.map((v) => (v === undefined ? "" : String(v))) };
  });
  return { columns, rows: rows.length };
}

const SKIPPED =
  /^(HISTORY|COMMENT|CONTINUE|XTENSION|SIMPLE|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|EXTNAME|EXTVER|INHERIT)$/;

export function writeDrizzleProduct(result: StageResult, output: string, row?: MdriztabRow): string {
  const primary = result.chips[0].primary.clone();
  primary.set("FILENAME", basename(output), { comment: "name of file" });
  drizzleKeywords(primary, result, output);
  exposureKeywords(primary, result);
  stepHistory(primary, result, row);
  const sci = imageHeader("SCI", result);
  sci.set("BUNIT", "ELECTRONS/S", { comment: "Units of science product" });
  for (const k of PHOTOMETRY) {
    const v = result.chips[0].header.get(k) ?? result.chips[0].primary.get(k);
    if (v !== undefined && v !== null) sci.set(k, v);
  }
  const { width, height, ctx } = result.image;
  const planes = ctx.length / (width * height);
  const writer = new FitsWriter(output);
  try {
    writer.writeImage(primary);
    writer.writeImage(sci, result.image.sci, [width, height]);
    writer.writeImage(imageHeader("WHT", result), result.image.wht, [width, height]);
    writer.writeImage(imageHeader("CTX", result), ctx, planes === 1 ? [width, height] : [width, height, planes]);
    const table = hdrtab(result);
    const h = new Header();
    h.set("EXTNAME", "HDRTAB");
    writer.writeTable(h, table.columns, table.rows);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return output;
}

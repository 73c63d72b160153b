import { type Card, Header, type Table } from "../fits/index.js";
import { alternateWcsHeader, archiveWcs, removeAlternateWcs } from "./alternate.js";
import { WcsError } from "./errors.js";
import { type IdcModel, idcModel, shiftModel } from "./idc.js";
import {
  gridFor,
  type LookupExtension,
  lookupExtension,
  lookupKeywordCards,
  maxOf,
  npolToPixels,
  type ReferenceGrid,
} from "./lookup-extensions.js";
import {
  type ChipInput,
  chipWcs,
  parityOf,
  plateScale,
  referenceFrame,
  sipFromIdc,
  subarrayOffsets,
} from "./makewcs.js";
import type { Wcs } from "./model.js";
import { readWcs } from "./parse.js";
import { writeSip } from "./sip-keywords.js";
import { alphaBeta, applyTdd, decimalYear, readSkew, zeroPointShift } from "./tdd.js";
import { type UpdateKeywords, updateKeywords } from "./updatewcs-keywords.js";

/** What stwcs's updatewcs reads: the science file's headers and the three reference files' contents. */
export interface UpdateWcsInput {
  file: string;
  primary: Header;
  /** The SCI headers, in file order. */
  sci: Header[];
  idctab: { name: string; primary: Header; table: Table };
  d2imfile?: { name: string; grids: ReferenceGrid[] };
  npolfile?: { name: string; grids: ReferenceGrid[] };
}

export interface UpdateWcsOutput {
  primary: Header;
  sci: Header[];
  /** D2IMARR then WCSDVARR extensions, replacing any the file had. */
  extensions: LookupExtension[];
}

const text = (h: Header, k: string) => String(h.get(k) ?? "").trim();
/** The rootname of a reference name (`jref$0461802ej_idc.fits` → 0461802ej). */
export const referenceRoot = (name: string, suffix: string) =>
  (name.split("$").pop() ?? name)
    .split("/")
    .pop()!
    .replace(new RegExp(`${suffix}\\.fits$`, "i"), "");

/** The instruments whose corrections (stwcs's allowed_corrections) are implemented here. */
const SUPPORTED = new Set(["ACS/WFC", "ACS/HRC", "ACS/SBC", "WFC3/UVIS", "WFC3/IR"]);

/** The distortion-corrected WCS of every chip of a raw/flt/flc, as stwcs's updatewcs computes it for the archive. */
export function updateWcs(input: UpdateWcsInput): UpdateWcsOutput {
  const { primary, file } = input;
  const instrument = text(primary, "INSTRUME");
  const detector = text(primary, "DETECTOR");
  if (!SUPPORTED.has(`${instrument}/${detector}`)) {
    throw new WcsError(`${instrument}/${detector}: updatewcs supports ${[...SUPPORTED].join(", ")}`, {
      file,
      keyword: "INSTRUME",
    });
  }
  const multiChip = (instrument === "ACS" && detector === "WFC") || (instrument === "WFC3" && detector === "UVIS");
  const chipOf = (h: Header) => {
    if (!multiChip) return 1;
    const chip = h.get("CCDCHIP");
    if (chip !== 1 && chip !== 2) {
      throw new WcsError(`CCDCHIP is ${chip === undefined ? "missing" : String(chip)}, not 1 or 2`, {
        file,
        hdu: `SCI,${h.get("EXTVER") ?? 1}`,
        keyword: "CCDCHIP",
      });
    }
    return chip;
  };
  if (input.sci.length === 0) throw new WcsError("the file has no SCI extension", { file });
  const filter = (keyword: string) => {
    if (typeof primary.get(keyword) !== "string") throw new WcsError("the filter is missing", { file, keyword });
    return text(primary, keyword);
  };
  const filters =
    instrument === "ACS"
      ? { filter1: filter("FILTER1"), filter2: filter("FILTER2") }
      : { filter1: filter("FILTER") || "CLEAR", filter2: "CLEAR" };
  const dateObs = text(primary, "DATE-OBS");
  if (!/^\d{4}-\d{2}-\d{2}/.test(dateObs))
    throw new WcsError("DATE-OBS is missing or not YYYY-MM-DD", { file, keyword: "DATE-OBS" });
  const year = decimalYear(dateObs.slice(0, 10));
  const tdd = instrument === "ACS" && detector === "WFC" && text(primary, "TDDCORR") !== "OMIT";
  const norder = input.idctab.primary.getInt("NORDER");
  const parity = parityOf(instrument, detector);

  const chipInput = (h: Header): ChipInput => {
    const chip = chipOf(h);
    const binned = Number(h.get("BINAXIS1") ?? primary.get("BINAXIS1") ?? 1);
    const idc = idcModel(input.idctab.table, norder, {
      chip,
      ...filters,
      binned,
      detector,
      file,
      idctab: input.idctab.name,
    });
    const where = { file, hdu: `SCI,${h.get("EXTVER") ?? 1}` };
    const opus = readWcs(alternateWcsHeader(h, "O") ?? h, undefined, where);
    const skew = tdd ? readSkew(input.idctab.primary, chip) : undefined;
    if (skew) applyTdd(idc, skew, year);
    const zeroPoint =
      skew?.kind === "alpha-beta" && skew.isDefault
        ? { v23: zeroPointShift(...alphaBeta(skew, year), chip), refPscale: 0 }
        : undefined;
    return { wcs: opus, idc, parity, zeroPoint, ltv: ltvOf(h, idc) };
  };
  const refHeader = (multiChip && input.sci.find((h) => h.get("CCDCHIP") === 2)) || input.sci[0];
  const refChip = () => {
    const ref = chipInput(refHeader);
    if (ref.zeroPoint) ref.zeroPoint.refPscale = refPscale;
    return ref;
  };
  const refPscale = plateScale(chipInput(refHeader).wcs.cd);
  const pav3 = primary.getNumber("PA_V3");
  const wcsname = `IDC_${referenceRoot(input.idctab.name, "_idc")}`;

  const extensions: LookupExtension[] = [];
  const sci = input.sci.map((h, i) => {
    const ext = chipInput(h);
    if (ext.zeroPoint) ext.zeroPoint.refPscale = refPscale;
    // stwcs's order: the offsets from the pipeline WCS, the reference chip's frame, then the chip's own model
    const offsets = subarrayOffsets(ext);
    const ref = refChip();
    shiftToSubarray(ref);
    const frame = referenceFrame(ref, pav3, offsets);
    shiftToSubarray(ext);
    const vafactor = h.getNumber("VAFACTOR", 1);
    const linear = chipWcs(ext, ref, frame, vafactor, offsets);
    const out = h.clone();
    if (!h.has("WCSNAMEO")) archiveWcs(out, "O", "OPUS");
    // a new IDCTAB makes every WCS computed from the old one invalid
    if (text(h, "IDCTAB") !== text(primary, "IDCTAB")) removeAlternateWcs(out);
    if (h.has("WCSTYPEO")) out.set("WCSTYPE", h.get("WCSTYPEO") ?? null);
    const keywords: UpdateKeywords = {
      linear,
      pipelineCd: ext.wcs.cd,
      wcsname,
      idctab: text(primary, "IDCTAB"),
      idc: ext.idc,
      tdd: tdd ? readSkew(input.idctab.primary, chipOf(h)) : undefined,
      year,
    };
    updateKeywords(out, keywords);
    writeSip(out, sipFromIdc(ext.idc, Number(h.get("BINAXIS1") ?? 1)));
    const cards: Card[] = [];
    if (input.d2imfile)
      cards.push(
        ...d2imCards(input.d2imfile.grids, chipOf(h), out, extensions, i === 0 ? input.d2imfile.name : undefined),
      );
    if (input.npolfile) {
      const extver = Number(h.get("EXTVER") ?? i + 1);
      cards.push(...npolCards(input.npolfile.grids, chipOf(h), out, extver, ext.idc, extensions));
      if (i === 0) out.set("NPOLEXT", input.npolfile.name);
    }
    return new Header([...out.cards, ...cards], out.location);
  });
  extensions.sort((a, b) =>
    a.header.get("EXTNAME") === b.header.get("EXTNAME") ? 0 : a.header.get("EXTNAME") === "D2IMARR" ? -1 : 1,
  );
  return { primary: updatedPrimary(input), sci, extensions };
}

/** LTV1/LTV2, or 0, 0 when the field is the model's size (stwcs's resetLTV: polarizers are full frames). */
function ltvOf(h: Header, idc: IdcModel): [number, number] {
  const ltv: [number, number] = [Number(h.get("LTV1") ?? 0), Number(h.get("LTV2") ?? 0)];
  if (h.get("NAXIS1") === idc.xsize && h.get("NAXIS2") === idc.ysize) return [0, 0];
  return ltv;
}

/** A subarray's model, moved to its pipeline reference pixel (stwcs's idcmodel.shift in MakeWCS). */
function shiftToSubarray(chip: ChipInput): void {
  const [l1, l2] = chip.ltv ?? [0, 0];
  if (l1 === 0 && l2 === 0) return;
  shiftModel(chip.idc, chip.wcs.crpix[0] - l1 - chip.idc.xref, chip.wcs.crpix[1] - l2 - chip.idc.yref);
}

function d2imCards(
  grids: ReferenceGrid[],
  chip: number,
  sci: Header,
  extensions: LookupExtension[],
  name?: string,
): Card[] {
  const cards: Card[] = [];
  (["DX", "DY"] as const).forEach((axis, k) => {
    const grid = gridFor(grids, axis, chip);
    if (!grid) return;
    const extver = extensions.filter((e) => e.header.get("EXTNAME") === "D2IMARR").length + 1;
    extensions.push(lookupExtension("D2IMARR", extver, axis, grid, grid.data, sci));
    cards.push(...lookupKeywordCards("D2IM", (k + 1) as 1 | 2, extver, maxOf(grid.data)));
  });
  if (name) sci.set("D2IMEXT", name);
  return cards;
}

function npolCards(
  grids: ReferenceGrid[],
  chip: number,
  sci: Header,
  extver: number,
  idc: IdcModel,
  extensions: LookupExtension[],
): Card[] {
  const dx = gridFor(grids, "DX", chip);
  const dy = gridFor(grids, "DY", chip);
  if (!dx || !dy) throw new WcsError(`NPOLFILE has no DX/DY grid for chip ${chip}`, { keyword: "NPOLFILE" });
  const pixels = npolToPixels(dx.data, dy.data, [idc.cx[1][0], idc.cx[1][1]], [idc.cy[1][0], idc.cy[1][1]], idc.pscale);
  extensions.push(lookupExtension("WCSDVARR", 2 * extver - 1, "DX", dx, pixels.dx, sci));
  extensions.push(lookupExtension("WCSDVARR", 2 * extver, "DY", dy, pixels.dy, sci));
  return [
    ...lookupKeywordCards("NPOL", 1, 2 * extver - 1, maxOf(pixels.dx)),
    ...lookupKeywordCards("NPOL", 2, 2 * extver, maxOf(pixels.dy)),
  ];
}

function updatedPrimary(input: UpdateWcsInput): Header {
  const out = input.primary.clone();
  const rootname = text(input.primary, "ROOTNAME").toLowerCase();
  const sipname = `${rootname}_${referenceRoot(input.idctab.name, "_idc")}`;
  const npol = input.npolfile ? referenceRoot(input.npolfile.name, "_npl") : "NONE";
  const d2im = input.d2imfile ? referenceRoot(input.d2imfile.name, "_d2i") : "NONE";
  const distname =
    npol === "NONE" && d2im === "NONE"
      ? sipname
      : d2im === "NONE"
        ? `${sipname}-${npol}`
        : `${sipname}-${npol}-${d2im}`;
  out.set("DISTNAME", distname);
  out.set("SIPNAME", sipname);
  return out;
}

/** The WCS of chip `k` of an updatewcs result, with its D2IMARR/WCSDVARR tables from the result's extensions. */
export function updatedChipWcs(out: UpdateWcsOutput, k: number): Wcs {
  return readWcs(out.sci[k], (extname, extver) => {
    const ext = out.extensions.find((e) => e.header.get("EXTNAME") === extname && e.header.get("EXTVER") === extver);
    if (!ext) return undefined;
    const value = (key: string, fallback: number) => Number(ext.header.get(key) ?? fallback);
    return {
      naxis: ext.axes,
      crpix: [value("CRPIX1", 0), value("CRPIX2", 0)],
      crval: [value("CRVAL1", 0), value("CRVAL2", 0)],
      cdelt: [value("CDELT1", 1), value("CDELT2", 1)],
      data: ext.data,
    };
  });
}

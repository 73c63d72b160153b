/**
 * Raw-file headers modelled on real HST raws (ACS j8bt05njq, STIS o4er06llq): primary keywords that
 * calibration and CRDS read, and SCI/ERR/DQ (and IR SAMP/TIME) extension headers with LT* and WCS.
 */
import { Header } from "../fits/index.js";
import { type ChipLayout, type DetectorModel, rawOffsets } from "./detectors.js";

export interface Observation {
  rootname: string;
  model: DetectorModel;
  /** FILTER1/FILTER2 (ACS), FILTER (WFC3), OPT_ELEM (STIS). */
  spectralElements: Record<string, string>;
  aperture: string;
  /** Exposure start, seconds since 1970 (UTC). */
  start: number;
  exptime: number;
  targname: string;
  ra: number;
  dec: number;
  asn?: { id: string; table: string; memtype: string };
  crsplit: number;
  nextend: number;
  switches: [string, string][];
  references: [string, string][];
  /** Extra primary keywords (IR sampling, STIS temperatures, …). */
  extra?: [string, string | number | boolean, string][];
}

export function mjd(seconds: number): number {
  return seconds / 86400 + 40587;
}

export function dateObs(seconds: number): { date: string; time: string } {
  const iso = new Date(Math.round(seconds) * 1000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

const section = (h: Header, title: string) => {
  h.addCommentary("", "");
  h.addCommentary("", `              / ${title}`);
  h.addCommentary("", "");
};

/** The primary header of a raw file. */
export function rawPrimaryHeader(o: Observation): Header {
  const { model } = o;
  const { date, time } = dateObs(o.start);
  const h = new Header();
  h.set("NEXTEND", o.nextend, { comment: "Number of standard extensions" });
  h.set("DATE", date, { comment: "date this file was written (yyyy-mm-dd)" });
  h.set("FILENAME", `${o.rootname}_raw.fits`, { comment: "name of file" });
  h.set("FILETYPE", "SCI", { comment: "type of data found in data file" });
  h.set("TELESCOP", "HST", { comment: "telescope used to acquire data" });
  h.set("INSTRUME", model.instrument, { comment: "identifier for instrument used to acquire data" });
  h.set("EQUINOX", 2000, { comment: "equinox of celestial coord. system", float: true });
  section(h, "DATA DESCRIPTION KEYWORDS");
  h.set("ROOTNAME", o.rootname, { comment: "rootname of the observation set" });
  h.set("IMAGETYP", "EXT", { comment: "type of exposure identifier" });
  h.set("PRIMESI", model.instrument, { comment: "instrument designated as prime" });
  section(h, "TARGET INFORMATION");
  h.set("TARGNAME", o.targname, { comment: "proposer's target name" });
  h.set("RA_TARG", o.ra, { comment: "right ascension of the target (deg) (J2000)", float: true });
  h.set("DEC_TARG", o.dec, { comment: "declination of the target (deg) (J2000)", float: true });
  section(h, "EXPOSURE INFORMATION");
  if (model.instrument !== "STIS") {
    h.set("DATE-OBS", date, { comment: "UT date of start of observation (yyyy-mm-dd)" });
    h.set("TIME-OBS", time, { comment: "UT time of start of observation (hh:mm:ss)" });
    h.set("EXPSTART", mjd(o.start), { comment: "exposure start time (Modified Julian Date)", float: true });
    h.set("EXPEND", mjd(o.start + o.exptime), { comment: "exposure end time (Modified Julian Date)", float: true });
    h.set("EXPTIME", o.exptime, { comment: "exposure duration (seconds)--calculated", float: true });
    h.set("DARKTIME", o.exptime, { comment: "dark time (seconds)", float: true });
  } else {
    h.set("TDATEOBS", date, { comment: "UT date of start of first exposure in file" });
    h.set("TTIMEOBS", time, { comment: "UT start time of first exposure in file" });
    h.set("TEXPSTRT", mjd(o.start), { comment: "start time (MJD) of 1st exposure in file", float: true });
    h.set("TEXPTIME", o.exptime * o.crsplit, { comment: "total exposure time (seconds)", float: true });
  }
  h.set("EXPFLAG", "NORMAL", { comment: "Exposure interruption indicator" });
  section(h, "SCIENCE INSTRUMENT CONFIGURATION");
  h.set("OBSTYPE", "IMAGING", { comment: "observation type - imaging or spectroscopic" });
  h.set("OBSMODE", model.detector === "IR" ? "MULTIACCUM" : "ACCUM", { comment: "operating mode" });
  h.set("NRPTEXP", 1, { comment: "number of repeat exposures in set: default 1" });
  h.set("SUBARRAY", false, { comment: "data from a subarray (T) or full frame (F)" });
  h.set("DETECTOR", model.detector, { comment: "detector in use" });
  for (const [keyword, value] of Object.entries(o.spectralElements)) {
    h.set(keyword, value, { comment: "element selected from filter wheel" });
    if (keyword === "FILTER1" || keyword === "FILTER2") {
      h.set(`FW${keyword.slice(-1)}OFFST`, 0, { comment: "computed filter wheel offset" });
    }
  }
  if (model.instrument === "ACS") h.set("FWSOFFST", 0, { comment: "computed filter wheel offset" });
  h.set("APERTURE", o.aperture, { comment: "aperture name" });
  h.set("PROPAPER", o.aperture, { comment: "proposed aperture name" });
  h.set("CRSPLIT", o.crsplit, { comment: "number of cosmic ray split exposures" });
  for (const [keyword, value, comment] of o.extra ?? []) h.set(keyword, value, { comment });
  section(h, "CALIBRATION SWITCHES: PERFORM, OMIT, COMPLETE");
  for (const [keyword, value] of o.switches) h.set(keyword, value, { comment: "calibration switch" });
  section(h, "CALIBRATION REFERENCE FILES");
  for (const [keyword, value] of o.references) h.set(keyword, value, { comment: "reference file" });
  if (model.detector !== "IR") electronicsKeywords(h, model);
  section(h, "ASSOCIATION KEYWORDS");
  h.set("ASN_ID", o.asn ? o.asn.id.toUpperCase() : "NONE", { comment: "unique identifier assigned to association" });
  h.set("ASN_TAB", o.asn ? o.asn.table : "", { comment: "name of the association table" });
  h.set("ASN_MTYP", o.asn ? o.asn.memtype : "", { comment: "Role of the Member in the Association" });
  h.addCommentary("HISTORY", "Simulated by caldp sim: synthetic data, not an HST observation.");
  return h;
}

function electronicsKeywords(h: Header, model: DetectorModel) {
  section(h, "ENGINEERING PARAMETERS");
  h.set("CCDAMP", model.ccdamp, { comment: "CCD Amplifier Readout Configuration" });
  h.set("CCDGAIN", model.ccdgain, { comment: "commanded gain of CCD" });
  if (model.instrument === "STIS") {
    h.set("CCDOFFST", 3, { comment: "commanded CCD bias offset" });
  } else {
    for (const a of "ABCD") h.set(`CCDOFST${a}`, 3, { comment: `commanded CCD bias offset for amplifier ${a}` });
  }
  h.set("BINAXIS1", 1, { comment: "axis1 data bin size in unbinned detector pixels" });
  h.set("BINAXIS2", 1, { comment: "axis2 data bin size in unbinned detector pixels" });
  if (model.instrument === "STIS") {
    h.set("ATODGAIN", 0, { comment: "calibrated CCD amplifier gain value", float: true });
    h.set("READNSE", 0, { comment: "calibrated CCD read noise value", float: true });
    return;
  }
  section(h, "CALIBRATED ENGINEERING PARAMETERS");
  for (const a of "ABCD") h.set(`ATODGN${a}`, 0, { comment: `calibrated gain for amplifier ${a}`, float: true });
  for (const a of "ABCD") h.set(`READNSE${a}`, 0, { comment: `calibrated read noise for amplifier ${a}`, float: true });
  for (const a of "ABCD") h.set(`BIASLEV${a}`, 0, { comment: `bias level for amplifier ${a}`, float: true });
}

export interface ExtensionOptions {
  extname: "SCI" | "ERR" | "DQ" | "SAMP" | "TIME";
  extver: number;
  rootname: string;
  chip: ChipLayout;
  model: DetectorModel;
  ra: number;
  dec: number;
  bunit?: string;
  /** Keywords placed after BUNIT (IR SAMPTIME, STIS DATE-OBS, …). */
  extra?: [string, string | number | boolean, string][];
  /** WCS keywords that replace the TAN WCS's (a STIS spectrum's WAVE and ANGLE axes). */
  wcs?: [string, string | number, string][];
}

/** An image extension header of a raw file: identification, WCS, LT* and statistics placeholders. */
export function rawExtensionHeader(e: ExtensionOptions): Header {
  const h = new Header();
  h.set("INHERIT", true, { comment: "inherit the primary header" });
  h.set("EXTNAME", e.extname, { comment: "extension name" });
  h.set("EXTVER", e.extver, { comment: "extension version number" });
  h.set("ROOTNAME", e.rootname, { comment: "rootname of the observation set" });
  h.set("EXPNAME", e.rootname, { comment: "exposure identifier" });
  if (e.bunit) h.set("BUNIT", e.bunit, { comment: "brightness units" });
  for (const [keyword, value, comment] of e.extra ?? []) h.set(keyword, value, { comment });
  section(h, "World Coordinate System and Related Parameters");
  wcs(h, e);
  for (const [keyword, value, comment] of e.wcs ?? []) h.set(keyword, value, { comment });
  section(h, "READOUT DEFINITION PARAMETERS");
  h.set("CCDCHIP", e.chip.ccdchip, { comment: "CCD chip (1 or 2)" });
  h.set("SIZAXIS1", e.chip.rawNx, { comment: "subarray axis1 size in unbinned detector pixels" });
  h.set("SIZAXIS2", e.chip.rawNy, { comment: "subarray axis2 size in unbinned detector pixels" });
  h.set("BINAXIS1", 1, { comment: "axis1 data bin size in unbinned detector pixels" });
  h.set("BINAXIS2", 1, { comment: "axis2 data bin size in unbinned detector pixels" });
  section(h, "IMAGE STATISTICS AND DATA QUALITY FLAGS");
  h.set("SDQFLAGS", 31743, {
    comment: "serious data quality flags",
  });
  if (e.extname === "SCI") {
    h.set("NCOMBINE", 1, { comment: "number of image sets combined during CR rejecti" });
    h.set("MEANDARK", 0, { comment: "average of the dark values subtracted", float: true });
    h.set("MEANBLEV", 0, { comment: "average of all bias levels subtracted", float: true });
    h.set("MEANFLSH", 0, { comment: "Mean number of counts in post flash exposure", float: true });
  }
  return h;
}

/** A TAN WCS centred on the chip (chip 1 of a two-chip camera lies one chip height above chip 2). */
function wcs(h: Header, e: ExtensionOptions) {
  const { chip, model } = e;
  const { ltv1, ltv2 } = rawOffsets(chip);
  // STIS: 12 digits, so that the value fits the card's 20 columns; cs0.e's HSTIO rewrites a longer one garbled.
  const scale =
    model.instrument === "STIS" ? Number((model.pixelScale / 3600).toPrecision(12)) : model.pixelScale / 3600;
  const twoChips = model.chips.length === 2;
  const offsetRows = twoChips ? (chip.ccdchip === 1 ? 0.5 : -0.5) * (chip.sciNy + 50) : 0;
  const dec = e.dec + offsetRows * scale;
  h.set("WCSAXES", 2, { comment: "number of World Coordinate System axes" });
  h.set("CRPIX1", chip.sciNx / 2 + ltv1, { comment: "x-coordinate of reference pixel", float: true });
  h.set("CRPIX2", chip.sciNy / 2 + ltv2, { comment: "y-coordinate of reference pixel", float: true });
  h.set("CRVAL1", e.ra, { comment: "first axis value at reference pixel", float: true });
  h.set("CRVAL2", dec, { comment: "second axis value at reference pixel", float: true });
  h.set("CTYPE1", "RA---TAN", { comment: "the coordinate type for the first axis" });
  h.set("CTYPE2", "DEC--TAN", { comment: "the coordinate type for the second axis" });
  h.set("CD1_1", -scale, { comment: "partial of first axis coordinate w.r.t. x" });
  h.set("CD1_2", 0, { comment: "partial of first axis coordinate w.r.t. y", float: true });
  h.set("CD2_1", 0, { comment: "partial of second axis coordinate w.r.t. x", float: true });
  h.set("CD2_2", scale, { comment: "partial of second axis coordinate w.r.t. y" });
  h.set("LTV1", ltv1, { comment: "offset in X to subsection start", float: true });
  h.set("LTV2", ltv2, { comment: "offset in Y to subsection start", float: true });
  h.set("LTM1_1", 1, { comment: "reciprocal of sampling rate in X", float: true });
  h.set("LTM2_2", 1, { comment: "reciprocal of sampling rate in Y", float: true });
  h.set("ORIENTAT", 0, { comment: "position angle of image y axis (deg. e of n)", float: true });
  h.set("RA_APER", e.ra, { comment: "RA of aperture reference position", float: true });
  h.set("DEC_APER", dec, { comment: "Declination of aperture reference position", float: true });
  h.set("PA_APER", 0, { comment: "Position Angle of reference aperture center (de", float: true });
}

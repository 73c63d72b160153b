/**
 * What AstroDrizzle's image objects know of a chip (drizzlepac imageObject/acsData/wfc3Data): its default good DQ
 * bits, nominal pixel scale, data units and their electrons factor, read noise, CTE readout direction and
 * skypac's data-to-brightness factor. Missing keywords that a step needs are errors naming file and keyword.
 */
import { DrizzleStageError } from "./errors.js";
import type { InputChip } from "./inputs.js";

/** The DQ bits AstroDrizzle's MDRIZTAB rows leave good by default for ACS and WFC3 UVIS (16+64+256), IR (512+256). */
export function defaultBits(chip: InputChip): number {
  return String(chip.primary.get("DETECTOR") ?? "").trim() === "IR" ? 768 : 336;
}

function bunitOf(chip: InputChip): string {
  return String(chip.header.get("BUNIT") ?? chip.primary.get("BUNIT") ?? "ELECTRONS").toUpperCase();
}

export function inUnits(chip: InputChip): "cps" | "counts" {
  return bunitOf(chip).includes("/S") ? "cps" : "counts";
}

/** IDCSCALE, else the scale of the CD matrix (arcsec per pixel). */
export function pixelScale(chip: InputChip): number {
  const idc = chip.header.get("IDCSCALE");
  if (typeof idc === "number" && idc > 0) return idc;
  const [[a, b], [c, d]] = chip.wcs.cd;
  return Math.sqrt(Math.abs(a * d - b * c)) * 3600;
}

/** Electrons per data unit (drizzlepac's _conversionFactor): 1 for electrons, the exposure time for e-/s. */
export function conversionFactor(chip: InputChip): number {
  const bunit = bunitOf(chip);
  if (bunit.startsWith("COUNTS")) {
    throw new DrizzleStageError(`is ${bunit}: driz_cr needs electrons or electrons/s`, chip.file, "BUNIT");
  }
  return bunit.includes("/S") ? chip.exposureTime : 1;
}

/** The mean of the non-zero READNSEA-D (drizzlepac's _averageFromHeader). */
export function readNoise(chip: InputChip): number {
  const values = ["READNSEA", "READNSEB", "READNSEC", "READNSED"]
    .map((k) => chip.primary.get(k))
    .filter((v): v is number => typeof v === "number" && v !== 0);
  if (values.length === 0) {
    throw new DrizzleStageError("is missing: the median and driz_cr need the read noise", chip.file, "READNSEA");
  }
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The readout direction driz_cr grows CTE tails along (acsData/wfc3Data cte_dir). */
export function cteDirection(chip: InputChip): 1 | -1 | 0 {
  const detector = String(chip.primary.get("DETECTOR") ?? "").trim();
  if (detector === "WFC" || detector === "UVIS") return chip.extver === 1 ? -1 : 1;
  if (detector === "HRC") return /^[AB]/.test(String(chip.primary.get("CCDAMP") ?? "").trim()) ? 1 : -1;
  return 0;
}

/** skypac's data-to-brightness factor: per arcsec² (the nominal IDCSCALE), per second for counts, × PHOTFLAM. */
export function dataToBrightness(chip: InputChip): number {
  const idc = chip.header.get("IDCSCALE") ?? chip.primary.get("IDCSCALE");
  const [[a, b], [c, d]] = chip.wcs.cd;
  const scale = typeof idc === "number" && idc > 0 ? idc : 3600 * Math.sqrt(Math.abs(a * d - b * c));
  let factor = 1 / (scale * scale);
  const photcorr = String(chip.primary.get("PHOTCORR") ?? "")
    .trim()
    .toUpperCase();
  const photflam = chip.header.get("PHOTFLAM") ?? chip.primary.get("PHOTFLAM");
  if (photcorr === "COMPLETE" && typeof photflam === "number" && photflam > 0) factor *= photflam;
  if (inUnits(chip) === "counts") factor /= chip.exposureTime;
  return factor;
}

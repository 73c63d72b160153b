/**
 * What the TIMELINE table needs from the references (calcos' findPixelRegion): the background bands of the
 * XTRACTAB row of NUVA for the exposure's aperture (an external target through the PSA or BOA only), and the
 * check that the airglow lines fall off the NUV detector (their columns are then 0, as calcos leaves them).
 */
import { CalibrationError } from "../../calib/common/errors.js";
import { wavelengthAt } from "../../calib/cos/doppcorr.js";
import type { DarkBands } from "../../calib/cos/timeline.js";
import type { Header } from "../../fits/index.js";
import type { SpectroTables } from "./spectro-tables.js";

/** The reddest airglow line calcos tracks (O I 1358.5 Å). */
const REDDEST_AIRGLOW = 1358.5;
/** Half the width of calcos' NUV airglow box, pixels. */
const HALF_WIDTH = 30;

export function darkBands(primary: Header, tables: SpectroTables, medianShift1: number): DarkBands | undefined {
  const exptype = primary.getString("EXPTYPE", "").trim().toUpperCase();
  const aperture = primary.getString("APERTURE", "").trim().toUpperCase();
  if (!exptype.startsWith("EXT") || !["PSA", "BOA"].includes(aperture)) return undefined;
  const filter = {
    OPT_ELEM: primary.getString("OPT_ELEM").trim(),
    CENWAVE: primary.getInt("CENWAVE"),
    SEGMENT: "NUVA",
    APERTURE: aperture,
  };
  const row = tables.xtractRow(filter);
  if (!row) return undefined;
  try {
    const relation = tables.dispersion({ ...filter, FPOFFSET: primary.getInt("FPOFFSET", 0) });
    const leftEdge = wavelengthAt(relation, -HALF_WIDTH - Math.fround(medianShift1));
    if (!(REDDEST_AIRGLOW < leftEdge)) {
      throw new CalibrationError(
        "CAL_STEP_NOT_DONE",
        `an airglow line would fall on the NUV detector (${leftEdge} Å at its left edge): TIMELINE not native`,
      );
    }
  } catch (e) {
    if (!(e instanceof CalibrationError && e.code === "TABLE_ROW_MISSING")) throw e;
  }
  const number = (k: string) => Number(row[k]);
  const has = (k: string) => row[k] !== undefined && row[k] !== null;
  const [hgt1, hgt2] = has("B_HGT1") ? [number("B_HGT1"), number("B_HGT2")] : [number("BHEIGHT"), number("BHEIGHT")];
  return { bBkg1: number("B_BKG1"), bBkg2: number("B_BKG2"), hgt1, hgt2 };
}

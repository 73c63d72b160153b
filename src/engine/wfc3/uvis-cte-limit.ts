/**
 * Which UVIS exposures the native WF3CTE corrects: unbinned full frames and subarrays. calwf3 3.7.3 (wf3cte.c) places a
 * subarray in a full chip and corrects it only when it was taken with physical overscan (prescan) columns; a
 * subarray without them (corner at least 25 columns in, and its end 60 virtual plus 25 prescan columns short of
 * the chip's 2073) is refused with "Subarray not taken with physical overscan (start finish)". calwf3.e then
 * writes no product at all and still exits 0; here it is an error, with calwf3.e's words. Subarrays with
 * physical overscan are corrected (engine/cte/wfc3-uvis.ts). Binned data keep the old notice: PCTECORR is
 * turned OMIT with a trailer line and no _flc/_crc is made (not in the native engine yet).
 */
import { CalibrationError } from "../../calib/common/errors.js";
import type { SwitchState } from "../../calib/common/switches.js";
import type { ImageSetFile } from "../imset-io.js";

/** calwf3's wf3cte.c: physical (prescan) columns, virtual overscan columns ×2, RAZ columns per chip. */
const PHYSICAL_OVERSCAN = 25;
const VIRTUAL_OVERSCAN_X2 = 60;
const RAZ_CHIP_COLUMNS = 2073;
/** LTV1 calwf3 gives the full chip it pastes a subarray into. */
const FULL_CHIP_LTV1 = 25;

/** The subarray's first and end column in the raw chip, as wf3cte.c computes them from the corners. */
export function subarrayColumns(file: ImageSetFile): { start: number; finish: number } {
  const { set } = file.imsets[0];
  const start = Math.round(-set.geometry.ltv[0]) + FULL_CHIP_LTV1;
  return { start, finish: start + set.nx };
}

export function hasPhysicalOverscan({ start, finish }: { start: number; finish: number }): boolean {
  return !(start >= PHYSICAL_OVERSCAN && finish + VIRTUAL_OVERSCAN_X2 <= RAZ_CHIP_COLUMNS - PHYSICAL_OVERSCAN);
}

export function limitCte(
  raw: string,
  file: ImageSetFile,
  switches: { PCTECORR: SwitchState },
  trailer: string[],
): void {
  if (switches.PCTECORR !== "PERFORM") return;
  const { primary } = file;
  if (primary.getInt("BINAXIS1", 1) !== 1 || primary.getInt("BINAXIS2", 1) !== 1) {
    trailer.push(
      "PCTECORR: pixel-based CTE correction of binned data is not in the native engine yet: no _flc/_crc products",
    );
    switches.PCTECORR = "OMIT";
    return;
  }
  if (primary.get("SUBARRAY") !== true) return;
  const columns = subarrayColumns(file);
  if (hasPhysicalOverscan(columns)) return;
  const notice = `Subarray not taken with physical overscan (${columns.start} ${columns.finish})`;
  trailer.push(notice, "Can't perform CTE correction");
  const { ltv } = file.imsets[0].set.geometry;
  throw new CalibrationError(
    "INVALID_VALUE",
    `${raw}: PCTECORR = PERFORM: ${notice} (LTV1 ${ltv[0]}, NAXIS1 ${file.imsets[0].set.nx}): Can't perform CTE correction; set PCTECORR = OMIT`,
    { step: "PCTECORR" },
  );
}

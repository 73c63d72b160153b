/**
 * Which UVIS exposures the native WF3CTE corrects: full-frame, unbinned data (calwf3 3.7.3 also corrects
 * subarrays taken with physical overscan: not yet here). Others keep the old notice: PCTECORR is turned OMIT
 * with a trailer line, and no _flc/_crc is made.
 */
import type { SwitchState } from "../../calib/common/switches.js";
import type { Header } from "../../fits/index.js";

export function limitCte(primary: Header, switches: { PCTECORR: SwitchState }, trailer: string[]): void {
  if (switches.PCTECORR !== "PERFORM") return;
  const why =
    primary.get("SUBARRAY") === true
      ? "subarrays"
      : primary.getInt("BINAXIS1", 1) !== 1 || primary.getInt("BINAXIS2", 1) !== 1
        ? "binned data"
        : undefined;
  if (why === undefined) return;
  trailer.push(`PCTECORR: pixel-based CTE correction of ${why} is not in the native engine yet: no _flc/_crc products`);
  switches.PCTECORR = "OMIT";
}

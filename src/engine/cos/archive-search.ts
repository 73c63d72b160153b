/**
 * The archive's wavelength keywords calcos sets in an x1d or x1dsum primary header (its updateArchiveSearch):
 * MINWAVE/MAXWAVE over the pixels of DQ_WGT > 0 of every row (all of a row's pixels when none has weight),
 * BANDWID and CENTRWV from them.
 */
import type { Header } from "../../fits/index.js";

export function setArchiveWavelengths(
  primary: Header,
  rows: readonly { wavelength: Float64Array; dqWgt: ArrayLike<number> & Iterable<number> }[],
): void {
  const n = rows[0]?.wavelength.length ?? 0;
  if (n === 0) return;
  let min = rows[0].wavelength[n - 1];
  let max = rows[0].wavelength[0];
  for (const row of rows) {
    let sum = 0;
    for (const w of row.dqWgt) sum += w;
    const weighted = sum > 0;
    row.wavelength.forEach((wl, k) => {
      if (weighted && !(row.dqWgt[k] > 0)) return;
      min = Math.min(min, wl);
      max = Math.max(max, wl);
    });
  }
  primary
    .set("MINWAVE", min)
    .set("MAXWAVE", max)
    .set("BANDWID", max - min)
    .set("CENTRWV", (max + min) / 2);
}

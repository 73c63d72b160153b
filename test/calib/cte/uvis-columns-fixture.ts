// Seeded full-length RAZ columns for WF3CTE's column code: sky with read noise, faint and bright sources,
// cosmic rays and cosmic rays hit during the readout (no trail), with the simulator's 40-trap UVIS model at PCTEFRAC 0.9.
import type { UvisCteSettings } from "../../../src/calib/wfc3/cte-column.js";
import { densityColumn, RAZ_ROWS } from "../../../src/calib/wfc3/cte-raz.js";
import { Random } from "../../../src/sim/random.js";
import { wfc3UvisTrapModel } from "../../../src/sim/wfc3-cte.js";

export const uvisSettings = (readNoise: number, threshold = -10): UvisCteSettings => ({
  model: wfc3UvisTrapModel(),
  forwardIterations: 3,
  parallelTransfers: 7,
  threshold,
  readNoise: Math.fround(readNoise),
});

export const uvisDensity = () => densityColumn(0.9);

/** `count` columns in electrons; column k's sky is 0.5 to 60 e-, about a tenth of them are empty or negative. */
export function seededUvisColumns(count: number, seed: number): Float64Array[] {
  const random = new Random(seed);
  const columns: Float64Array[] = [];
  for (let k = 0; k < count; k++) {
    const column = new Float64Array(RAZ_ROWS);
    const kind = k % 10;
    const sky = kind === 0 ? -5 : kind === 3 ? 1 : 0.5 + 60 * random.uniform();
    for (let j = 0; j < RAZ_ROWS; j++) column[j] = Math.fround(sky + 3.1 * random.normal());
    for (let s = 0; s < 12 && kind !== 0; s++) {
      const row = 2 + Math.floor(random.uniform() * 2040);
      const flux = random.uniform() < 0.3 ? 20000 * random.uniform() : 300 * random.uniform();
      for (let d = -2; d <= 2; d++) column[row + d] += Math.fround(flux * Math.exp(-d * d));
    }
    // A cosmic ray hit during the readout: bright and with no trail, so the correction over-subtracts behind it.
    if (kind === 3) for (const row of [1700, 2030]) column[row] = 60000;
    columns.push(column);
  }
  return columns;
}

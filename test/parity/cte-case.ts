/**
 * The CTE parity case: an ACS/WFC exposure of mid-2008 (before SM4: parallel correction only) simulated with
 * CTE trails, its ACS2D steps switched off so that the C program's _flc is its ACSCTE output (blc_tmp) and
 * our _flt is our ACSCCD output (blv_tmp). The fingerprint holds calacs.e's corrected values in sampled columns
 * of amp C (chip 2, SCI,1), whole columns being what the correction works on.
 */
import { basename, join } from "node:path";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { Random } from "../../src/sim/random.js";

export const CTE_CASE = {
  name: "acs-wfc-cte-2008",
  simulation: { dataset: "j8cb07ctq", detector: "WFC", seed: 107, dateObs: "2008-06-02T10:11:12Z", cte: true },
  sampleSeed: 17,
} as const;

/** Steps after ACSCCD, off in both runs. */
const ACS2D_OFF = ["DARKCORR", "FLATCORR", "SHADCORR", "PHOTCORR", "FLSHCORR", "CRCORR", "RPTCORR", "GLINCORR"];
export const AMP_C_WIDTH = 2048;
const COLUMNS = 12;
const ROWS_PER_COLUMN = 64;

export function simulateCteCase(dir: string): { input: string; referenceDir: string; pctetab: string } {
  const sim = simulateDataset({ ...CTE_CASE.simulation, out: dir });
  const raw = sim.exposures[0].raw;
  rewriteHeaders(raw, (header, hdu) => {
    if (hdu.index !== 0) return;
    for (const keyword of ACS2D_OFF) if (header.has(keyword)) header.set(keyword, "OMIT");
  });
  return { input: basename(raw), referenceDir: sim.referenceDir, pctetab: sim.references.PCTETAB };
}

/** The sampled columns of amp C and the sampled rows of each. */
export function cteSamples(): { columns: number[]; rows: number[] } {
  const random = new Random(`cte/${CTE_CASE.sampleSeed}`);
  const columns = new Set<number>();
  while (columns.size < COLUMNS) columns.add(random.int(AMP_C_WIDTH));
  const rows = Array.from({ length: ROWS_PER_COLUMN }, () => random.int(2048));
  return { columns: [...columns].sort((a, b) => a - b), rows };
}

export interface CteColumnPrint {
  x: number;
  /** SCI summed over the column (float64), and SCI/ERR at the sampled rows. */
  sum: number;
  sci: number[];
  err: number[];
}

/** The sampled columns of SCI,1/ERR,1 of a product. */
export function cteColumnPrints(path: string): CteColumnPrint[] {
  const fits = FitsFile.open(path);
  try {
    const sci = fits.readImage("SCI", { ver: 1 });
    const err = fits.readImage("ERR", { ver: 1 }).data as Float32Array;
    const [width, height] = sci.axes;
    const data = sci.data as Float32Array;
    const { columns, rows } = cteSamples();
    return columns.map((x) => {
      let sum = 0;
      for (let y = 0; y < height; y++) sum += data[y * width + x];
      return { x, sum, sci: rows.map((y) => data[y * width + x]), err: rows.map((y) => err[y * width + x]) };
    });
  } finally {
    fits.close();
  }
}

export const cteFingerprintPath = join(import.meta.dirname, "fingerprints", `${CTE_CASE.name}.json`);

// `npm run bench -- <name> [options]`: runs bench/<name>.ts with its options; with no name, lists them.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./timed-process.js";

const BENCHMARKS: Record<string, string> = {
  "hstcal-compare": "caldp calacs/calwf3 against hstcal's calacs.e/calwf3.e (HSTCAL_BIN), wall, CPU, RSS",
  "acs-calibration": "ACS/WFC CR-SPLIT ×2, ×4 against ccdproc + astroscrappy",
  "wfc3-calibration": "WFC3/IR NSAMP=16 against numpy, UVIS CR-SPLIT against ccdproc + astroscrappy",
  "fits-io": "FITS read/write against astropy",
  "fits-fuzz": "seeded FITS fuzzing",
  "crds-bestrefs": "CRDS closure load and bestrefs for 1,000 datasets",
  previews: "previews against numpy + Pillow",
  "drizzle-kernels": "drizzle kernels against python drizzle's C kernels, 4096×2048 into 4300×4300",
  "adriz-wfc4": "ACS/WFC 4-exposure full-frame dither flt → drz against numpy + python drizzle and AstroDrizzle",
  "adriz-steps": "AstroDrizzle median + driz_cr against drizzlepac 3.6.2 (DRIZZLEPAC_PYTHON), 4 × 4096×2048",
  "batch-load": "caldp batch over worker processes",
  "cos-timetag": "caldp calcos against calcos (CALCOS), NUV TIME-TAG 10⁷ events: wall, RSS, events/s per stage",
};

const [name, ...args] = process.argv.slice(2);
if (!name || !(name in BENCHMARKS)) {
  if (name) console.error(`bench: no benchmark ${name}`);
  console.log("usage: npm run bench -- <name> [options]   (the engine benchmarks need npm run build first)");
  for (const [n, what] of Object.entries(BENCHMARKS)) console.log(`  ${n.padEnd(18)} ${what}`);
  process.exit(name ? 2 : 0);
}
const script = join(REPO, "bench", `${name}.ts`);
if (!existsSync(script)) throw new Error(`bench: ${script} is missing`);
const run = spawnSync(process.execPath, ["--import", "tsx", script, ...args], { stdio: "inherit" });
process.exit(run.status ?? 1);

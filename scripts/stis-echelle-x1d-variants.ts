/**
 * (Re)creates test/parity/fingerprints/stis-fuv-mama-echelle-variants.json from hstcal's cs0.e: each calstis6
 * variant of the echelle case (test/parity/stis-echelle-variants.ts) simulated, run through `cs0.e <raw>` and its
 * x1d's column prints recorded (never the products).
 *
 *   HSTCAL_BIN=/path/to/hstcal/pkg/stis node --import tsx scripts/stis-echelle-x1d-variants.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { columnsPrint } from "../test/parity/column-print.js";
import { STIS_ECHELLE_CASE as CASE } from "../test/parity/stis-echelle-case.js";
import {
  ECHELLE_VARIANTS,
  prepareEchelleVariant,
  stisEchelleVariantsPath,
} from "../test/parity/stis-echelle-variants.js";
import { tableColumns } from "../test/parity/stis-longslit-case.js";

const program = join(process.env.HSTCAL_BIN ?? "", "cs0.e");
if (!process.env.HSTCAL_BIN || !existsSync(program)) {
  console.error("stis-echelle-x1d-variants: set HSTCAL_BIN to the folder holding cs0.e");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), `parity-${CASE.name}-variants-`));
try {
  const version = spawnSync(program, ["--version"], { encoding: "utf8" }).stdout.trim();
  const variants = ECHELLE_VARIANTS.map((v) => {
    const folder = join(dir, v.name);
    mkdirSync(folder);
    const { input, refs } = prepareEchelleVariant(folder, v);
    const env = { ...process.env, oref: `${refs}/` };
    const run = spawnSync(program, [input], { cwd: folder, encoding: "utf8", env, maxBuffer: 64 << 20 });
    if (run.status !== 0) {
      console.error(`stis-echelle-x1d-variants: cs0.e on ${v.name} exited ${run.status ?? run.signal}`);
      process.exit(1);
    }
    const x1d = tableColumns(join(folder, `${CASE.dataset}_x1d.fits`));
    return { name: v.name, offsets: x1d.OFFSET, x1d: columnsPrint(x1d, CASE.sampleSeed) };
  });
  const record = { case: `${CASE.name}-variants`, program: `cs0.e ${version}`, variants };
  writeFileSync(stisEchelleVariantsPath, `${JSON.stringify(record)}\n`);
  spawnSync("npx", ["biome", "format", "--write", stisEchelleVariantsPath], { stdio: "ignore" });
  console.log(variants.map((v) => v.name).join(" "));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

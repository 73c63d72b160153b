/**
 * (Re)creates test/parity/fingerprints/cos-tagflash-variants.json from STScI's calcos: the TAGFLASH case of
 * test/parity/cos-case.ts with each variant of cos-tagflash-variants.ts applied, run through `calcos -o out`.
 *
 *   CALCOS=/path/to/venv/bin/calcos node --import tsx scripts/cos-tagflash-variants.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COS_TAGFLASH_CASE, simulateCosCase } from "../test/parity/cos-case.js";
import { applyVariant, printVariant, VARIANTS, variantsPath } from "../test/parity/cos-tagflash-variants.js";

const calcos = process.env.CALCOS;
if (!calcos) {
  console.error("cos-tagflash-variants: set CALCOS to the calcos command (e.g. <venv>/bin/calcos)");
  process.exit(2);
}
const record: Record<string, unknown> = { program: "calcos 3.4.7", case: COS_TAGFLASH_CASE.name };
for (const variant of VARIANTS) {
  const dir = mkdtempSync(join(tmpdir(), `cos-tagflash-${variant.name}-`));
  try {
    const { input, referenceDir } = simulateCosCase(dir, COS_TAGFLASH_CASE);
    applyVariant(join(dir, input), variant);
    const env = { ...process.env, lref: `${referenceDir}/` };
    const run = spawnSync(calcos, ["-o", "out", input], { cwd: dir, encoding: "utf8", env, maxBuffer: 64 << 20 });
    if (run.status !== 0) {
      console.error(`cos-tagflash-variants: calcos (${variant.name}) exited ${run.status ?? run.signal}`);
      process.exit(1);
    }
    record[variant.name] = printVariant(join(dir, "out"), COS_TAGFLASH_CASE.dataset);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
writeFileSync(variantsPath, `${JSON.stringify(record)}\n`);
spawnSync("npx", ["biome", "format", "--write", variantsPath], { stdio: "ignore" });
console.log(`wrote ${variantsPath}`);

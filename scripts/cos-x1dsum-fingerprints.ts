/**
 * (Re)creates test/parity/fingerprints/cos-nuv-x1dsum.json from STScI's calcos: simulates the FP-POS association
 * of test/parity/cos-x1dsum-case.ts, runs `calcos -o out <asn>` and records the spectra it wrote, the
 * fingerprints of three `_x1dsum*` SCI tables and the keywords fpavg sets (never the products).
 *
 *   CALCOS=/path/to/venv/bin/calcos node --import tsx scripts/cos-x1dsum-fingerprints.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  COS_X1DSUM_CASE,
  FINGERPRINTED,
  keywordPrint,
  simulateX1dsumCase,
  spectraIn,
  x1dsumFingerprintPath,
} from "../test/parity/cos-x1dsum-case.js";
import { fingerprintProduct } from "../test/parity/fingerprint.js";

const calcos = process.env.CALCOS;
if (!calcos) {
  console.error("cos-x1dsum-fingerprints: set CALCOS to the calcos command (e.g. <venv>/bin/calcos)");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), `parity-${COS_X1DSUM_CASE.name}-`));
try {
  const { input, referenceDir } = simulateX1dsumCase(dir);
  const env = { ...process.env, lref: `${referenceDir}/` };
  const python = spawnSync(calcos, ["--version"], { encoding: "utf8", env });
  const run = spawnSync(calcos, ["-o", "out", input], { cwd: dir, encoding: "utf8", env, maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    console.error(`cos-x1dsum-fingerprints: calcos ${input} exited ${run.status ?? run.signal}`);
    console.error(`${run.stdout}\n${run.stderr}`.split("\n").slice(-20).join("\n"));
    process.exit(1);
  }
  const out = join(dir, "out");
  const files = spectraIn(out);
  const record = {
    case: COS_X1DSUM_CASE.name,
    program: `calcos ${python.stdout.trim() || "3.4.7"}`,
    calcos: "spacetelescope/calcos 3.4.7 (numpy 1.24.2, astropy 5.2.1, Debian bookworm)",
    command: `lref=<references>/ calcos -o out ${input}`,
    simulation: { asnId: COS_X1DSUM_CASE.asnId, seed: COS_X1DSUM_CASE.seed },
    sampleSeed: COS_X1DSUM_CASE.sampleSeed,
    files,
    products: FINGERPRINTED.map((f) => fingerprintProduct(join(out, f), f, COS_X1DSUM_CASE.sampleSeed, false, ["SCI"])),
    keywords: Object.fromEntries(files.map((f) => [f, keywordPrint(join(out, f))])),
  };
  writeFileSync(x1dsumFingerprintPath, `${JSON.stringify(record)}\n`);
  spawnSync("npx", ["biome", "format", "--write", x1dsumFingerprintPath], { stdio: "ignore" });
  console.log(`${COS_X1DSUM_CASE.name}: ${files.join(" ")}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

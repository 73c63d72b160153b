/** Runs our engine on a parity case and fingerprints its products like the C programs' recorded ones. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliAsync } from "../helpers/cli-async.js";
import { type ParityCase, productsIn, simulateCase } from "./cases.js";
import { fingerprintProduct, type ProductPrint } from "./fingerprint.js";

export interface RecordedCase {
  case: string;
  program: string;
  command: string;
  sampleSeed: number;
  products: ProductPrint[];
}

export function recorded(c: ParityCase): RecordedCase {
  return JSON.parse(readFileSync(join(import.meta.dirname, "fingerprints", `${c.name}.json`), "utf8"));
}

/** Simulates the case in a new folder, runs `caldp calacs|calwf3|calstis` there and fingerprints every product. */
export async function runOurs(c: ParityCase, sampleSeed: number) {
  const dir = mkdtempSync(join(tmpdir(), `caldp-parity-${c.name}-`));
  const { input, referenceDir } = simulateCase(c, dir);
  const command = { "calacs.e": "calacs", "calwf3.e": "calwf3", "cs0.e": "calstis" }[c.program];
  const run = await runCliAsync("caldp", [command, input], {
    cwd: dir,
    env: { [c.referenceVariable]: `${referenceDir}/` },
  });
  const products = productsIn(dir).map((f) => fingerprintProduct(join(dir, f), f, sampleSeed, c.headers));
  return { dir, run, products };
}

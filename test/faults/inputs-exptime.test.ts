// A raw file without EXPTIME: calibrated as 0 s before (commit 1c322bc made it required in the engine); now
// `caldp calacs` and `caldp-process` refuse it with a message naming the file and the keyword, and write no product.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";

function rawWithoutExptime() {
  const dir = mkdtempSync(join(tmpdir(), "caldp-faults-exptime-"));
  const sim = simulateDataset({ dataset: "j8cb01a1q", out: join(dir, "in"), detector: "HRC", seed: 4 });
  const raw = sim.exposures[0].raw;
  rewriteHeaders(raw, (header, hdu) => {
    if (hdu.index === 0) assert.equal(header.delete("EXPTIME"), 1);
  });
  const fits = FitsFile.open(raw);
  assert.equal(fits.hdus[0].header.has("EXPTIME"), false);
  fits.close();
  return { dir, sim, raw };
}

const fitsIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".fits")) : []);

test("caldp calacs: a raw without EXPTIME fails naming the file and the keyword, no flt written", async () => {
  const { dir, sim, raw } = rawWithoutExptime();
  const before = readFileSync(raw);
  const r = await runCliAsync("caldp", ["calacs", raw], {
    cwd: join(dir, "in"),
    env: { jref: `${sim.referenceDir}/` },
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /EXPTIME/);
  assert.ok(r.stderr.includes("j8cb01a1q_raw.fits"), r.stderr);
  assert.deepEqual(fitsIn(join(dir, "in")), ["j8cb01a1q_raw.fits"], "no product, no temporary file");
  assert.ok(readFileSync(raw).equals(before), "the raw file is untouched");
  assert.deepEqual(
    readdirSync(join(dir, "in")).filter((n) => n.includes(".tmp")),
    [],
  );
});

test("caldp-process: a raw without EXPTIME is STAGE1_ERROR (23) naming the file and the keyword", async () => {
  const { dir, sim } = rawWithoutExptime();
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const r = await runCliAsync("caldp-process", ["j8cb01a1q", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 23, r.stdout.slice(-3000));
  const log = readFileSync(join(dir, "process.txt"), "utf8");
  const line = log.split("\n").find((l) => /EXPTIME/.test(l) && /Error/.test(l)) ?? "";
  assert.match(line, /j8cb01a1q_raw\.fits/, log.slice(-3000));
  assert.ok(log.includes("EXIT - STAGE1_ERROR[23]"));
  assert.deepEqual(readdirSync(join(dir, "messages")), ["error-j8cb01a1q"]);
  assert.deepEqual(fitsIn(join(dir, "out", "j8cb01a1q")), [], "no product in the output");
  assert.deepEqual(
    readdirSync(join(dir, "in")).filter((n) => n.endsWith("_flt.fits") || n.includes(".tmp")),
    [],
    "nothing half-written beside the inputs",
  );
});

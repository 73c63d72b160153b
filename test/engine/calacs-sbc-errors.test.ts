/**
 * A calibration error inside an SBC worker task (the SBC's ACS2D runs on the program's pool): it comes
 * back as its own class with its code, names the raw file and the cause, stops the run before the ACSSUM
 * product, and leaves the inputs untouched and no temporary file behind.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { calacs } from "../../src/engine/acs/calacs.js";
import { rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";

const out = mkdtempSync(join(tmpdir(), "calacs-sbc-errors-"));
after(() => rmSync(out, { recursive: true, force: true }));

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

test("a GLOBRATE missing in one SBC raw: CalibrationError naming the raw, no sfl, inputs untouched", async () => {
  const sim = simulateDataset({ dataset: "j9sb010a0", out, detector: "SBC", exposures: 2, seed: 3 });
  const broken = sim.exposures[1]!.rootname;
  rewriteHeaders(join(out, `${broken}_raw.fits`), (header) => {
    header.delete("GLOBRATE");
  });
  const raws = readdirSync(out).filter((n) => n.endsWith("_raw.fits") || n.endsWith("_asn.fits"));
  const before = raws.map((n) => sha(join(out, n)));
  await assert.rejects(
    calacs(["j9sb010a0_asn.fits"], { dir: out, env: { jref: `${sim.referenceDir}/` }, log: () => {} }),
    (e: unknown) =>
      e instanceof CalibrationError &&
      e.code === "HEADER_PROBLEM" &&
      e.message === `${broken}_raw.fits: GLOBRATE is missing from the SCI header`,
  );
  assert.deepEqual(
    raws.map((n) => sha(join(out, n))),
    before,
    "inputs unchanged",
  );
  const files = readdirSync(out);
  assert.ok(!files.includes(`${broken}_flt.fits`));
  assert.ok(!files.some((n) => n.endsWith("_sfl.fits")));
  assert.deepEqual(
    files.filter((n) => n.endsWith(".tmp")),
    [],
  );
});

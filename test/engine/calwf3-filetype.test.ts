/**
 * calwf3 refuses a UVIS reference whose FILETYPE is not the one calwf3.e checks (hstcal CheckImgType): a
 * simulated post-flashed subarray whose FLSHFILE says 'FLASH' instead of 'POST FLASH' (calwf3.e 3.7.3 exits
 * "Calibration file(s) missing or invalid" on it) fails before any pixel work, naming file and keyword,
 * and writes no product.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { simulateUvisSubarray } from "../../src/sim/wfc3-subarray.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { PYTHON } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "calwf3-filetype-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SET_FILETYPE = `
import sys
from astropy.io import fits
with fits.open(sys.argv[1], mode="update") as h:
    h[0].header["FILETYPE"] = sys.argv[2]
`;

test("calwf3 UVIS: a FLSHFILE of FILETYPE 'FLASH' is refused, naming file and keyword; no product", async () => {
  const sim = simulateUvisSubarray({ rootname: "iabc08s1q", out: dir, kind: "inner", seed: 4, flashdur: 5 });
  const flash = sim.references.FLSHFILE;
  assert.ok(flash, "the simulation wrote a FLSHFILE");
  const good = await runCliAsync("caldp", ["calwf3", basename(sim.raw)], {
    cwd: dir,
    env: { iref: `${sim.referenceDir}/` },
  });
  assert.equal(good.status, 0, good.stderr);
  rmSync(join(dir, "iabc08s1q_flt.fits"));
  execFileSync(PYTHON, ["-c", SET_FILETYPE, flash, "FLASH"]);
  const bad = await runCliAsync("caldp", ["calwf3", basename(sim.raw)], {
    cwd: dir,
    env: { iref: `${sim.referenceDir}/` },
  });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /FILETYPE='FLASH' is invalid for FLSHFILE \('POST FLASH'\)/);
  assert.ok(bad.stderr.includes(flash), bad.stderr);
  assert.equal(bad.stderr.trim().split("\n").length, 1, "one line");
  assert.equal(existsSync(join(dir, "iabc08s1q_flt.fits")), false);
});

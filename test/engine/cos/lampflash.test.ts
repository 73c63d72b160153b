// The real COS/NUV lampflash in ../shared/data/hst (labq01hzq, G285M 2676, from spacetelescope/hstcal) reads:
// three stripes, 1274-pixel GROSS spectra despite the file's odd TDIM, the dispersion shifts calcos found equal
// to the SHIFT1[ABC] keywords it wrote (rounded to 4 decimals), the same values astropy reads.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { readLampflash } from "../../../src/engine/cos/lampflash.js";
import { HST_DATA, PYTHON } from "../../helpers/paths.js";

const FILE = join(HST_DATA, "labq01hzq_lampflash.fits");

test("the real NUV lampflash: stripes, spectra and shifts as calcos wrote them", () => {
  const { rows, header } = readLampflash(FILE);
  assert.deepEqual(
    rows.map((r) => r.segment),
    ["NUVA", "NUVB", "NUVC"],
  );
  for (const r of rows) {
    const letter = r.segment.slice(-1);
    assert.equal(r.gross.length, 1274);
    assert.equal(Math.round(r.shiftDisp * 1e4) / 1e4, header[`SHIFT1${letter}`]);
    assert.ok(Number.isFinite(r.shiftXdisp));
    assert.ok(r.wavelength[1273] > r.wavelength[0], "wavelengths increase along the stripe");
    assert.ok(r.lampOff > r.lampOn);
  }
  const script = [
    "import json, sys",
    "from astropy.io import fits",
    "d = fits.getdata(sys.argv[1], 'LAMPFLASH')",
    "print(json.dumps({'gross': [float(x) for x in d['GROSS'][1].ravel()[:50]], 'sum': float(d['GROSS'][2].sum(dtype='f8'))}))",
  ].join("\n");
  // calcos found the cross-dispersion spectrum of NUVB and NUVC, not of NUVA (SPEC_FOUND as astropy reads it)
  assert.deepEqual(
    rows.map((r) => r.specFound),
    [false, true, true],
  );
  const astropy = JSON.parse(execFileSync(PYTHON, ["-c", script, FILE], { encoding: "utf8" }));
  assert.deepEqual(Array.from(rows[1].gross.subarray(0, 50)), astropy.gross);
  assert.ok(Math.abs(rows[2].gross.reduce((s, v) => s + v, 0) - astropy.sum) < 1e-6 * Math.abs(astropy.sum));
});

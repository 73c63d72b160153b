/**
 * The drizzle pixel map against python-drizzle's calc_pixmap (Debian python3-drizzle) on its own test data:
 * a distorted ACS exposure (SIP) and an undistorted one onto the drizzled reference grid, and onto a SIP grid.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile } from "../../src/fits/index.js";
import { pixelMap, readHduWcs } from "../../src/wcs/index.js";
import { PYTHON, REPO } from "../helpers/paths.js";
import { skipUnlessInstalled } from "../helpers/skip.js";

const DATA = "/usr/share/python-drizzle/test_data";
const skip = skipUnlessInstalled(existsSync(join(DATA, "input1.fits")), "python3-drizzle and python-drizzle-testdata");
const dir = mkdtempSync(join(tmpdir(), "caldp-pixmap-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// a double holds RA near 150° to 3e-14°, 4e-9 of these pixels: the maps differ by a few of those
const cases: [string, string, number][] = [
  ["input1.fits", "reference_square_grid.fits", 1e-7],
  ["j8bt06nyq_flt.fits", "reference_square_grid.fits", 1e-7],
  // onto a SIP grid both iterate to astropy's default tolerance of 1e-4 pixel, astropy for all points at once
  ["j8bt06nyq_flt.fits", "input1.fits", 1e-4],
];

for (const [source, target, tolerance] of cases) {
  test(`${source} → ${target}: the pixel map equals calc_pixmap's within ${tolerance} pixel`, { skip }, () => {
    const out = join(dir, `${source}-${target}.f8`);
    execFileSync(PYTHON, [
      join(REPO, "test", "wcs", "drizzle_pixmap.py"),
      join(DATA, source),
      "1",
      join(DATA, target),
      "1",
      out,
    ]);
    const bytes = readFileSync(out);
    const expected = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    const a = FitsFile.open(join(DATA, source));
    const b = FitsFile.open(join(DATA, target));
    const [width, height] = a.hdus[1].axes;
    const map = pixelMap(readHduWcs(a, a.hdus[1]), readHduWcs(b, b.hdus[1]), width, height);
    a.close();
    b.close();
    assert.equal(map.length, expected.length);
    let worst = 0;
    for (let i = 0; i < map.length; i++) worst = Math.max(worst, Math.abs(map[i] - expected[i]));
    assert.ok(worst < tolerance, `largest difference ${worst} pixel`);
  });
}

/**
 * The WCS against astropy.wcs (Debian's python3-astropy) on every real header with a celestial TAN WCS in the
 * shared HST data and python-drizzle's test data: all_pix2world, pix2foc and all_world2pix on a grid of pixels.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile, type Hdu } from "../../src/fits/index.js";
import { pixToFocal, pixToSky, readHduWcs, skyToPix, WcsError } from "../../src/wcs/index.js";
import { HST_DATA, PYTHON, REPO } from "../helpers/paths.js";
import { skipUnlessInstalled } from "../helpers/skip.js";

const DRIZZLE_DATA = "/usr/share/python-drizzle/test_data";
const skip = skipUnlessInstalled(existsSync(join(DRIZZLE_DATA, "j8bt06nyq_flt.fits")), "python-drizzle-testdata");
const TOLERANCE = 1e-10;

const files = [
  ...readdirSync(HST_DATA).map((f) => join(HST_DATA, f)),
  ...(skip ? [] : readdirSync(DRIZZLE_DATA).map((f) => join(DRIZZLE_DATA, f))),
].filter((f) => f.endsWith(".fits"));

const isCelestialTan = (hdu: Hdu) => /-TAN/.test(String(hdu.header.get("CTYPE1") ?? ""));

/** A 9×9 grid over the image, beyond its edges by 50 pixels; headers without data (NAXIS1 = 0) use 2·CRPIX. */
function grid(hdu: Hdu): [number, number][] {
  const size = [1, 2].map((i) => {
    const n = hdu.axes[i - 1] ?? 0;
    return n > 1 ? n : Math.max(2 * Number(hdu.header.get(`CRPIX${i}`)), 64);
  });
  const points: [number, number][] = [];
  for (let i = 0; i < 9; i++) {
    for (let j = 0; j < 9; j++) points.push([-50 + ((size[0] + 100) * i) / 8, -50 + ((size[1] + 100) * j) / 8]);
  }
  points.push([1, 1], [0.5, 0.5], [size[0], size[1]]);
  return points;
}

interface Job {
  file: string;
  hdu: number;
  pixels: [number, number][];
  tolerance: number;
}
const jobs: Job[] = [];
for (const file of files) {
  const fits = FitsFile.open(file);
  for (const hdu of fits.hdus.filter(isCelestialTan)) {
    jobs.push({ file, hdu: hdu.index, pixels: grid(hdu), tolerance: TOLERANCE });
  }
  fits.close();
}

interface Answer {
  error?: string;
  world: [number, number][];
  foc: [number, number][];
  back: [number, number][];
  sip: boolean;
  det2im: boolean;
  cpdis: boolean;
}
const answers: Answer[] = JSON.parse(
  execFileSync(PYTHON, [join(REPO, "test", "wcs", "astropy_wcs.py")], {
    input: JSON.stringify(jobs),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  }),
);

const angle = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);

test("the oracle covers SIP, D2IM and NPOL headers as well as plain TAN", () => {
  assert.ok(jobs.length >= 60, `${jobs.length} headers`);
  assert.ok(answers.filter((a) => a.sip).length >= 4, "SIP headers");
  assert.ok(answers.filter((a) => a.det2im && a.cpdis).length >= 4, "D2IM + NPOL headers");
});

jobs.forEach((job, n) => {
  const name = `${job.file.split("/").pop()} HDU ${job.hdu}`;
  test(`${name}: pixel → sky and back agree with astropy.wcs`, () => {
    const fits = FitsFile.open(job.file);
    const expected = answers[n];
    if (expected.error) {
      assert.throws(() => readHduWcs(fits, fits.hdus[job.hdu]), WcsError, `astropy: ${expected.error}`);
      return fits.close();
    }
    const wcs = readHduWcs(fits, fits.hdus[job.hdu]);
    fits.close();
    assert.equal(wcs.sip !== undefined, expected.sip, "SIP present");
    assert.equal(wcs.det2im.some(Boolean), expected.det2im, "D2IM present");
    assert.equal(wcs.cpdis.some(Boolean), expected.cpdis, "CPDIS present");
    job.pixels.forEach(([x, y], k) => {
      const [fx, fy] = pixToFocal(wcs, x, y);
      const [ex, ey] = expected.foc[k];
      assert.ok(
        Math.abs(fx - ex) < 1e-9 && Math.abs(fy - ey) < 1e-9,
        `pix2foc (${x}, ${y}): ${fx}, ${fy} vs ${ex}, ${ey}`,
      );
      const [ra, dec] = pixToSky(wcs, x, y);
      const [era, edec] = expected.world[k];
      const where = `(${x}, ${y}): ${ra}, ${dec} vs ${era}, ${edec}`;
      assert.ok(angle(ra, era) * Math.cos((edec * Math.PI) / 180) < 1e-9 && Math.abs(dec - edec) < 1e-9, where);
      const [bx, by] = skyToPix(wcs, era, edec, { tolerance: TOLERANCE, maxIterations: 50 });
      const [ax, ay] = expected.back[k];
      assert.ok(
        Math.abs(bx - ax) < 1e-6 && Math.abs(by - ay) < 1e-6,
        `world2pix (${x}, ${y}): ${bx}, ${by} vs ${ax}, ${ay}`,
      );
      assert.ok(Math.abs(bx - x) < 1e-6 && Math.abs(by - y) < 1e-6, `round trip (${x}, ${y}): ${bx}, ${by}`);
    });
  });
});

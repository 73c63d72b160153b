// A BSCALE/BZERO int16 image (the NICMOS n8xtzcawq in ../shared/data/hst, stored as `cos_N8XTZCAWQ.fits`:
// BITPIX 16, BSCALE 0.224, BZERO 6706) against Debian's fitscut, which reads physical values through cfitsio.
// Its header's GOODMIN…GOODMAX (−0.36…17.7, statistics of an earlier, differently scaled state) lie below
// 65,530 of its 65,536 pixels: fitscut's --badpix rule blanked them all and the preview was all white. The
// reader now ignores a range that would blank most pixels (blanks.ts, staleRange), so the picture is the
// image's physical values, which these tests compare with fitscut's reading of the same file (see
// fitscut-oracle.test.ts for what Debian's fitscut 1.4.4 shares with STScI's).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { autoscaleLimits, encodeGreyJpeg, greyImage, readPicture } from "../../src/previews/index.js";
import { runCli } from "../helpers/cli.js";
import { HST_DATA, PYTHON } from "../helpers/paths.js";
import { skipUnlessInstalled } from "../helpers/skip.js";
import { decodeGrey, scratchDir } from "./helpers.js";

const FITSCUT = "/usr/bin/fitscut";
const skip = skipUnlessInstalled(existsSync(FITSCUT), "fitscut");
const NICMOS = join(HST_DATA, "cos_N8XTZCAWQ.fits");
/** Upstream's asinh caps y at 1 above t = 3.3 in its own rounding (fitscut-oracle.test.ts): stay below it. */
const T_CLIP = 3.3;

function fitscut(args: string[]): string {
  const run = spawnSync(FITSCUT, args, { encoding: "utf8" });
  assert.equal(run.status, 0, `fitscut ${args.join(" ")}: ${run.stderr}`);
  return run.stderr;
}

function maxDelta(a: Uint8Array, b: Uint8Array): { largest: number; mean: number } {
  let largest = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    largest = Math.max(largest, d);
    sum += d;
  }
  return { largest, mean: sum / a.length };
}

test("the picture of the NICMOS int16 image is BZERO + BSCALE × stored, as astropy reads it", () => {
  const { plane } = readPicture(NICMOS);
  assert.deepEqual([plane.width, plane.height], [256, 256]);
  assert.equal(plane.data.filter(Number.isNaN).length, 0, "no pixel blanked by the stale GOODMIN…GOODMAX");
  const py = spawnSync(
    PYTHON,
    [
      "-c",
      `import sys, numpy as np; from astropy.io import fits; sys.stdout.buffer.write(np.asarray(fits.getdata("${NICMOS}"), dtype=">f4").tobytes())`,
    ],
    { maxBuffer: 1 << 22 },
  );
  assert.equal(py.status, 0, String(py.stderr));
  const theirs = new Float32Array(Buffer.from(py.stdout).swap32().buffer.slice(0));
  assert.equal(theirs.length, plane.data.length);
  for (let i = 0; i < theirs.length; i++) {
    // astropy scales in float32 as well; allow one unit in the last place of the larger value
    const tolerance = Math.abs(theirs[i]) * 2 ** -23 + 1e-3;
    assert.ok(
      Math.abs(plane.data[i] - theirs[i]) <= tolerance,
      `pixel ${i}: ours ${plane.data[i]}, astropy ${theirs[i]}`,
    );
  }
});

test("NICMOS int16 with BSCALE: asinh with the scale given matches fitscut reading the file itself", {
  skip,
}, async (t) => {
  const dir = scratchDir("fitscut-nicmos");
  const { plane } = readPicture(NICMOS);
  const { width, height } = plane;
  // max 4300: no pixel (up to 14052) reaches t = 3.3; max 600 with the stored values clipped below
  // 3.3 × 600 by astropy, keeping BITPIX 16 and the file's BSCALE/BZERO, so fitscut still scales them
  for (const max of [4300, 600]) {
    let file = NICMOS;
    let data = plane.data;
    if (max * T_CLIP < 14052) {
      file = join(dir, `clipped-${max}.fits`);
      const py = spawnSync(PYTHON, [
        "-c",
        `import numpy as np; from astropy.io import fits
h = fits.open("${NICMOS}", do_not_scale_image_data=True)
bscale, bzero = h[0].header["BSCALE"], h[0].header["BZERO"]
top = int(np.floor((${T_CLIP * max} - bzero) / bscale))
h[0].data = np.minimum(h[0].data, np.int16(top))
h.writeto("${file}")
print(top)`,
      ]);
      assert.equal(py.status, 0, String(py.stderr));
      const top = Number(String(py.stdout).trim());
      const bscale = 0.22423939511;
      const bzero = 6706.199646;
      data = plane.data.map((x) => Math.min(x, Math.fround(bzero + bscale * top)));
    }
    const out = join(dir, `fitscut-${max}.jpg`);
    fitscut(["-f", "--all", "--jpg", "--asinh-scale", "--min=0", `--max=${max}`, file, out]);
    const theirs = await decodeGrey(readFileSync(out));
    const ours = await decodeGrey(
      await encodeGreyJpeg(greyImage(data, width, height, { min: 0, max }, 1), width, height),
    );
    assert.deepEqual([theirs.width, theirs.height], [width, height]);
    const { largest, mean } = maxDelta(theirs.grey, ours.grey);
    t.diagnostic(`max ${max}: max |Δ| ${largest}, mean |Δ| ${mean.toFixed(4)}; fitscut mean grey ${avg(theirs.grey)}`);
    assert.ok(largest <= 2, `max |Δ| = ${largest}`);
    assert.ok(mean < 0.5, `mean |Δ| = ${mean}`);
    assert.ok(avg(theirs.grey) > 5 && avg(theirs.grey) < 250, "fitscut's own picture is not uniform");
  }
});

test("NICMOS int16 with BSCALE: --autoscale=99.5 cuts where fitscut's histogram cuts", { skip }, (t) => {
  const stderr = fitscut([
    "-v",
    "-v",
    "-v",
    "-f",
    "--all",
    "--jpg",
    "--linear-scale",
    "--autoscale=99.5",
    NICMOS,
    // never /dev/null: with -f, fitscut removes its output first, and as root that replaces the device
    join(scratchDir("cuts"), "cuts.jpg"),
  ]);
  const cut = /autoscale min: (\S+) max: (\S+)/.exec(stderr);
  assert.ok(cut, `no autoscale line in fitscut's output:\n${stderr}`);
  const { plane } = readPicture(NICMOS);
  const ours = autoscaleLimits(plane.data);
  const range = plane.range!.max - plane.range!.min;
  const tolerance = range / 49999 + (2 * range) / 9999 + 1e-5;
  t.diagnostic(`ours ${ours.min}…${ours.max}, fitscut ${cut[1]}…${cut[2]}, ±${tolerance}`);
  assert.ok(Math.abs(ours.min - Number(cut[1])) <= tolerance, `low cut ${ours.min} vs fitscut ${cut[1]}`);
  // ours may only be higher at the top: the noise guard (max ≥ median + 5·(median − min)) is STScI's, not upstream's
  assert.ok(ours.max >= Number(cut[2]) - tolerance, `high cut ${ours.max} vs fitscut ${cut[2]}`);
});

test("caldp previews of the NICMOS file: exit 0, a note on the ignored range, and a picture that is not all white", () => {
  const out = scratchDir("nicmos-cli");
  const r = runCli("caldp", ["previews", "--out", out, NICMOS]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    /cos_N8XTZCAWQ\.fits: GOODMIN…GOODMAX \(-0\.36475459…17\.704323\) would blank 65530 of the 65536 pixels of PRIMARY,1: ignored/,
  );
  return decodeGrey(readFileSync(join(out, "cos_N8XTZCAWQ.jpg"))).then(({ grey }) => {
    const white = grey.filter((g) => g === 255).length / grey.length;
    assert.ok(white < 0.01, `${(100 * white).toFixed(1)} % white pixels`);
    assert.ok(avg(grey) > 5 && avg(grey) < 200, `mean grey ${avg(grey)}`);
  });
});

const avg = (grey: Uint8Array) => grey.reduce((a, b) => a + b, 0) / grey.length;

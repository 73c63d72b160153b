// The real fitscut as an oracle. Debian ships the upstream fitscut 1.4.4; CALDP runs STScI's fork of 1.4.2,
// which added the options of CALDP's command line (--output-size, --badpix) and changed the stretch (blank
// pixels, a 50000-bin autoscale with the noise guard, an asinh that starts at the low cut and reaches white
// at y = 0.7). Debian's binary rejects that command line, so these tests run it on what both lines share and
// say where they part (docs/previews.md, "The real fitscut"):
// - the asinh stretch, the byte conversion, the row order and the JPEG encoder, with the scale given:
//   `fitscut --all --jpg --asinh-scale --min=0 --max=M` is our greyImage with limits {0, M} and white at
//   y = 1, encoded by encodeGreyJpeg. Bound: max |Δ| ≤ 2 and mean |Δ| < 0.5 grey levels on the decoded
//   pixels (JPEG tolerance); the two agree to the pixel today;
// - the 0.5 % and 99.5 % cut points of --autoscale=99.5 (what our 50000-bin histogram finds against
//   fitscut's 10000 bins), where the noise guard does not move the top.
// Upstream's asinh divides an already rounded y by the cap for pixels brighter than y = 1 (STScI's fork
// divides the weight first, as we do), which moves some of them between 254 and 255; the test images are
// clipped below that point (t < 3.3). Upstream also needs FITS images in the primary HDU and has no blank
// pixels (a pixel of exactly 0 gives 0/0 in its asinh), so the images here have neither.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { FitsWriter, Header } from "../../src/fits/index.js";
import { autoscaleLimits, encodeGreyJpeg, greyImage, readPicture } from "../../src/previews/index.js";
import { Random } from "../../src/sim/random.js";
import { HST_DATA, PYTHON } from "../helpers/paths.js";
import { skipUnlessInstalled } from "../helpers/skip.js";
import { decodeGrey, scratchDir } from "./helpers.js";

const FITSCUT = "/usr/bin/fitscut";
const skip = skipUnlessInstalled(existsSync(FITSCUT), "fitscut");
/** Above t = sinh(3)/3 upstream's asinh caps y at 1 in its own rounding; stay below it. */
const T_CLIP = 3.3;

function fitscut(args: string[]): { stderr: string } {
  const run = spawnSync(FITSCUT, args, { encoding: "utf8" });
  assert.equal(run.status, 0, `fitscut ${args.join(" ")}: ${run.stderr}`);
  return { stderr: run.stderr };
}

/** A FITS file with the image in the primary HDU, as upstream fitscut reads it. */
function writePrimary(path: string, data: Float32Array, width: number, height: number): void {
  const w = new FitsWriter(path);
  w.writeImage(new Header(), data, [width, height]);
  w.close();
}

/** Clipped so that no pixel reaches t = T_CLIP for a scale of max M (see the top of the file). */
function clip(data: Float32Array, max: number): Float32Array {
  const top = Math.fround(T_CLIP * max);
  return data.map((x) => Math.min(x, top));
}

/** Sky with noise around `sky` (negative pixels when sky is small), Gaussian stars; no pixel is exactly 0. */
function starField(width: number, height: number, sky: number, noise: number, seed: number): Float32Array {
  const random = new Random(seed);
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = sky + noise * random.normal();
  for (let s = 0; s < 60; s++) {
    const cx = random.uniform() * width;
    const cy = random.uniform() * height;
    const peak = 20 * noise * (1 + 50 * random.uniform() ** 3);
    for (let y = Math.max(0, Math.floor(cy - 8)); y < Math.min(height, cy + 8); y++) {
      for (let x = Math.max(0, Math.floor(cx - 8)); x < Math.min(width, cx + 8); x++) {
        data[y * width + x] += peak * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 4);
      }
    }
  }
  return data.map((x) => (x === 0 ? 1e-3 : x));
}

async function compareJpegs(theirs: Buffer, ours: Buffer, width: number, height: number) {
  const a = await decodeGrey(theirs);
  const b = await decodeGrey(ours);
  assert.deepEqual([a.width, a.height], [width, height], "fitscut's size");
  assert.deepEqual([b.width, b.height], [width, height], "our size");
  let largest = 0;
  let sum = 0;
  for (let i = 0; i < a.grey.length; i++) {
    const d = Math.abs(a.grey[i] - b.grey[i]);
    largest = Math.max(largest, d);
    sum += d;
  }
  const mean = sum / a.grey.length;
  assert.ok(largest <= 2, `max |Δ| = ${largest}`);
  assert.ok(mean < 0.5, `mean |Δ| = ${mean}`);
  return { largest, mean };
}

/** fitscut's asinh with the scale given, against ours; `file` holds `data` in its primary HDU. */
async function compareAsinh(dir: string, file: string, data: Float32Array, width: number, height: number, max: number) {
  const out = join(dir, "fitscut.jpg");
  fitscut(["-f", "--all", "--jpg", "--asinh-scale", "--min=0", `--max=${max}`, file, out]);
  const ours = await encodeGreyJpeg(greyImage(data, width, height, { min: 0, max }, 1), width, height);
  return compareJpegs(readFileSync(out), ours, width, height);
}

test("asinh stretch, rows and JPEG: a real ACS/HRC exposure matches fitscut", { skip }, async (t) => {
  const dir = scratchDir("fitscut-hrc");
  const raw = join(HST_DATA, "j8bt05njq_raw.fits");
  const max = 3000; // sky ≈ 1160 DN: grey ≈ 87; stars up to the clip at 9900 DN
  const copy = join(dir, "hrc.fits");
  // astropy (independent of our reader) puts SCI,1 in a primary HDU, clipped as clip() does.
  const py = spawnSync(PYTHON, [
    "-c",
    `import numpy as np; from astropy.io import fits
d = fits.getdata("${raw}", ("SCI", 1)).astype(np.float32)
fits.PrimaryHDU(np.minimum(d, np.float32(${T_CLIP} * ${max}))).writeto("${copy}")`,
  ]);
  assert.equal(py.status, 0, String(py.stderr));
  const { plane } = readPicture(raw, { mosaic: false, dqMask: false });
  assert.deepEqual([plane.width, plane.height], [1062, 1044]);
  assert.ok(
    plane.data.every((x) => !Number.isNaN(x)),
    "no blank pixels in this exposure",
  );
  const data = clip(plane.data, max);
  const { largest, mean } = await compareAsinh(dir, copy, data, plane.width, plane.height, max);
  t.diagnostic(`j8bt05njq SCI,1: max |Δ| ${largest}, mean |Δ| ${mean}`);
});

test("asinh stretch, rows and JPEG: simulated star fields (odd sizes, negative sky) match fitscut", {
  skip,
}, async (t) => {
  const dir = scratchDir("fitscut-sim");
  for (const [width, height, sky, noise, max, seed] of [
    [517, 389, 3, 10, 400, 11],
    [256, 731, 1000, 30, 2500, 12],
  ]) {
    const data = clip(starField(width, height, sky, noise, seed), max);
    const file = join(dir, `sim-${seed}.fits`);
    writePrimary(file, data, width, height);
    const { plane } = readPicture(file);
    const { largest, mean } = await compareAsinh(dir, file, plane.data, width, height, max);
    t.diagnostic(`${width}×${height}: max |Δ| ${largest}, mean |Δ| ${mean}`);
  }
});

test("--autoscale=99.5 cuts at the 0.5 % and 99.5 % points as fitscut's histogram does", { skip }, (t) => {
  const dir = scratchDir("fitscut-cuts");
  const random = new Random(5);
  const cubic = Float32Array.from({ length: 300 * 200 }, () => 100 + 1000 * random.uniform() ** 3);
  const cubicFile = join(dir, "cubic.fits");
  writePrimary(cubicFile, cubic, 300, 200);
  for (const file of [join(HST_DATA, "j8bt05njq_raw.fits"), cubicFile]) {
    // Upstream reads the primary HDU only: the raw's SCI,1 goes through a primary-HDU copy.
    const { plane } = readPicture(file, { mosaic: false, dqMask: false });
    const input = join(dir, "input.fits");
    writePrimary(input, plane.data, plane.width, plane.height);
    const { stderr } = fitscut([
      "-v",
      "-v",
      "-v",
      "-f",
      "--all",
      "--jpg",
      "--linear-scale",
      "--autoscale=99.5",
      input,
      join(dir, "cut.jpg"),
    ]);
    const cut = /autoscale min: (\S+) max: (\S+)/.exec(stderr);
    assert.ok(cut, `no autoscale line in fitscut's output:\n${stderr}`);
    const [theirMin, theirMax] = [Number(cut[1]), Number(cut[2])];
    const ours = autoscaleLimits(plane.data);
    const range = plane.range!.max - plane.range!.min;
    // Both land within a bin of the same order statistic: ours 1/49999, upstream's 1/9999 of the range
    // (its cut is bin·range/10000, which adds up to another 1/10000).
    const tolerance = range / 49999 + (2 * range) / 9999 + 1e-5;
    t.diagnostic(
      `${file.split("/").pop()}: ours ${ours.min}…${ours.max}, fitscut ${theirMin}…${theirMax}, ±${tolerance}`,
    );
    assert.ok(Math.abs(ours.min - theirMin) <= tolerance, `low cut ${ours.min} vs fitscut ${theirMin}`);
    assert.ok(Math.abs(ours.max - theirMax) <= tolerance, `high cut ${ours.max} vs fitscut ${theirMax}`);
  }
});

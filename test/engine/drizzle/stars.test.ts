/**
 * Stars against a truth catalogue in sky coordinates: two dithered exposures on the real ACS/HRC WCS (skewed
 * pixels; the second pointed 5.3, -2.6 px away), each star an exactly integrated Gaussian (σ 1.4 px) placed
 * where that exposure's WCS puts its true RA/Dec. In the drz every star's centroid is at its true position and
 * its aperture flux is its true flux.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { drizzleInputs } from "../../../src/engine/drizzle/run.js";
import { FitsFile, FitsWriter } from "../../../src/fits/index.js";
import { pixToSky, readHduWcs, skyToPix, type Wcs } from "../../../src/wcs/index.js";

const HRC = "/usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits";
const dir = mkdtempSync(join(tmpdir(), "caldp-drz-stars-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const SIGMA = 1.4;
const EXPTIME = 60;

/** erf from Numerical Recipes' erfc approximation (fractional error < 1.2e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    1 -
    t *
      Math.exp(
        -x * x -
          1.26551223 +
          t *
            (1.00002368 +
              t *
                (0.37409196 +
                  t *
                    (0.09678418 +
                      t *
                        (-0.18628806 +
                          t *
                            (0.27886807 +
                              t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
      );
  return x >= 0 ? y : -y;
}

const cell = (a: number, centre: number) =>
  0.5 * (erf((a + 0.5 - centre) / (SIGMA * Math.SQRT2)) - erf((a - 0.5 - centre) / (SIGMA * Math.SQRT2)));

interface Star {
  ra: number;
  dec: number;
  flux: number;
}

function exposure(name: string, wcs: Wcs, stars: Star[]): string {
  const source = FitsFile.open(HRC);
  const path = join(dir, name);
  const w = 1024;
  const sci = new Float32Array(w * w);
  for (const star of stars) {
    const [x, y] = skyToPix(wcs, star.ra, star.dec).map((v) => v - 1);
    for (let j = Math.floor(y) - 10; j <= Math.floor(y) + 10; j++) {
      for (let i = Math.floor(x) - 10; i <= Math.floor(x) + 10; i++)
        sci[j * w + i] += star.flux * EXPTIME * cell(i, x) * cell(j, y);
    }
  }
  const writer = new FitsWriter(path);
  const sciHeader = source.hdus[1].header.clone();
  for (const [k, v] of [
    ["CRVAL1", wcs.crval[0]],
    ["CRVAL2", wcs.crval[1]],
  ] as const)
    sciHeader.set(k, v, { float: true });
  writer.writeImage(source.hdus[0].header.clone().set("EXPTIME", EXPTIME));
  writer.writeImage(sciHeader, sci, [w, w]);
  writer.writeImage(source.hdus[2].header.clone(), new Float32Array(w * w).fill(1), [w, w]);
  writer.writeImage(source.hdus[3].header.clone(), new Int16Array(w * w), [w, w]);
  writer.close();
  source.close();
  return path;
}

/** Centroid (1-based) and flux within `radius` of (x, y) (1-based), iterated from the guess; i, j are 0-based. */
function measure(data: Float32Array, width: number, x0: number, y0: number, radius: number) {
  let [x, y] = [x0, y0];
  let flux = 0;
  for (let iteration = 0; iteration < 5; iteration++) {
    let sx = 0;
    let sy = 0;
    flux = 0;
    for (let j = Math.floor(y - radius) - 1; j <= Math.ceil(y + radius); j++) {
      for (let i = Math.floor(x - radius) - 1; i <= Math.ceil(x + radius); i++) {
        if ((i + 1 - x) ** 2 + (j + 1 - y) ** 2 > radius * radius) continue;
        const v = data[j * width + i];
        sx += v * (i + 1);
        sy += v * (j + 1);
        flux += v;
      }
    }
    [x, y] = [sx / flux, sy / flux];
  }
  return { x, y, flux };
}

test("two dithered exposures: stars at their true sky positions (rms < 0.02 px) with their true flux (0.1 %)", async () => {
  const source = FitsFile.open(HRC);
  const wcs = readHduWcs(source, source.hdus[1]);
  source.close();
  const stars: Star[] = [];
  for (let k = 0; k < 36; k++) {
    const [ra, dec] = pixToSky(wcs, 120 + (k % 6) * 150 + 0.37 * k, 130 + Math.floor(k / 6) * 148 + 0.23 * k);
    stars.push({ ra, dec, flux: 500 + 40 * k });
  }
  const [ra2, dec2] = pixToSky(wcs, wcs.crpix[0] + 5.3, wcs.crpix[1] - 2.6);
  const a = exposure("j8bt06s1q_flt.fits", wcs, stars);
  const b = exposure("j8bt06s2q_flt.fits", { ...wcs, crval: [ra2, dec2] }, stars);
  const [product] = await drizzleInputs([a, b], { output: join(dir, "stars_drz.fits") });
  const { frame, image } = product.result;
  let squared = 0;
  let worstFlux = 0;
  for (const star of stars) {
    const [tx, ty] = skyToPix(frame.wcs, star.ra, star.dec);
    const m = measure(image.sci, frame.width, tx, ty, 9);
    squared += (m.x - tx) ** 2 + (m.y - ty) ** 2;
    worstFlux = Math.max(worstFlux, Math.abs(m.flux / star.flux - 1));
  }
  const rms = Math.sqrt(squared / stars.length);
  console.log(
    `# ${stars.length} stars: position rms ${rms.toFixed(5)} px, worst flux error ${(worstFlux * 100).toFixed(4)} %`,
  );
  assert.ok(rms < 0.02, `position rms ${rms} px`);
  assert.ok(worstFlux < 0.001, `worst flux error ${worstFlux}`);
});

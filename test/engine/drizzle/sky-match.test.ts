/**
 * skymethod match and globalmin+match on the real ACS/HRC flt and its view 12" further north made from it (the
 * same sky where they overlap, 30 e- higher; 200 e- brighter still elsewhere): matching looks only at the overlap, so the copy's
 * MDRIZSKY exceeds the original's by the 30 e- (localmin, over each whole image, is pulled off by the bright part).
 * The AstroDrizzle comparison of both methods is in astrodrizzle.test.ts; this is the geometry on a real header.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { drizzleInputs } from "../../../src/engine/drizzle/run.js";
import { copyData, FitsFile, FitsWriter } from "../../../src/fits/index.js";
import { pixToSky, readWcs, skyToPix, type Wcs } from "../../../src/wcs/index.js";

const HRC = "/usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits";
const skip = existsSync(HRC) ? false : "python-drizzle-testdata is not installed";
const dir = mkdtempSync(join(tmpdir(), "caldp-skymatch-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const OFFSET = 12 / 3600;

/** The HRC flt's view OFFSET further north: the original's pixels moved to where they see the same sky, + 30 e-;
 * where the original does not reach, its own pixels + 230 e-. */
function raisedCopy(path: string): void {
  const input = FitsFile.open(HRC);
  const writer = new FitsWriter(path);
  try {
    let original: Wcs | undefined;
    for (const hdu of input.hdus) {
      const header = hdu.header;
      if (hdu.name !== "SCI") {
        const read = (offset: number, length: number) => input.readBytes(hdu.dataOffset + offset, length);
        writer.writeRaw(header, hdu.dataBytes, copyData(read, hdu.dataBytes));
        continue;
      }
      original = readWcs(header);
      const [ra, dec] = pixToSky(original, original.crpix[0], original.crpix[1]);
      header.set("CRVAL1", ra, { float: true });
      header.set("CRVAL2", dec + OFFSET, { float: true });
      const moved = readWcs(header);
      const [w, h] = [header.getInt("NAXIS1"), header.getInt("NAXIS2")];
      const data = input.readImage(hdu).data as Float32Array;
      // the shift is almost uniform over the chip: the centre's, in the original's pixels, to the nearest pixel
      const [cx, cy] = [w / 2, h / 2];
      const [ox, oy] = skyToPix(original, ...pixToSky(moved, cx, cy));
      const [dx, dy] = [Math.round(ox - cx), Math.round(oy - cy)];
      const sci = new Float32Array(w * h);
      for (let j = 0; j < h; j++) {
        for (let i = 0; i < w; i++) {
          const [x, y] = [i + dx, j + dy];
          const inside = x >= 0 && y >= 0 && x < w && y < h;
          sci[j * w + i] = inside ? data[y * w + x] + 30 : data[j * w + i] + 230;
        }
      }
      writer.writeImage(header, sci, [w, h]);
    }
    writer.close();
  } finally {
    input.close();
  }
}

test("match and globalmin+match: the copy's MDRIZSKY is the original's + 30 e- (its overlap), unlike localmin", {
  skip,
}, async () => {
  const original = join(dir, "j8bt06nyq_flt.fits");
  copyFileSync(HRC, original);
  const raised = join(dir, "j8bt06o0q_flt.fits");
  raisedCopy(raised);
  const sky: Record<string, number[]> = {};
  for (const skymethod of ["localmin", "match", "globalmin+match"] as const) {
    const [product] = await drizzleInputs([original, raised], {
      output: join(dir, skymethod.replace("+", "_")),
      adriz: { skymethod, driz_separate: false, median: false, blot: false, driz_cr: false },
    });
    sky[skymethod] = product.result.chips.map((c) => product.result.sky.get(c)!);
  }
  console.log(`# MDRIZSKY (original, copy): ${JSON.stringify(sky)}`);
  assert.equal(sky.match[0], 0, "match: the lower sky is the reference");
  assert.ok(Math.abs(sky.match[1] - 30) < 1, `match: ${sky.match[1]}`);
  const [g0, g1] = sky["globalmin+match"];
  assert.ok(Math.abs(g0 - sky.localmin[0]) < 1e-9, "globalmin+match: the original at the global minimum");
  assert.ok(Math.abs(g1 - g0 - 30) < 1, `globalmin+match: ${g1 - g0}`);
  assert.ok(Math.abs(sky.localmin[1] - sky.localmin[0] - 30) > 2, `localmin: ${sky.localmin[1] - sky.localmin[0]}`);
});

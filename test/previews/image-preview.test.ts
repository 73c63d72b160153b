// JPEG previews of real and constructed image products, decoded with sharp.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  greyLevel,
  jpegComment,
  previewJpeg,
  readPicture,
  renderGrey,
  writeImagePreviews,
} from "../../src/previews/index.js";
import { HST_DATA } from "../helpers/paths.js";
import { decodeGrey, scratchDir, writeProduct } from "./helpers.js";

const RAW = join(HST_DATA, "j8bt05njq_raw.fits");

test("ACS/HRC raw 1062×1044: full preview 1062×1044, thumbnail 128×126, JPEG close to the grey buffer", async () => {
  const out = scratchDir("raw");
  const [thumbPath, fullPath] = await writeImagePreviews(RAW, out);
  assert.equal(thumbPath, join(out, "j8bt05njq_raw_thumb.jpg"));
  assert.equal(fullPath, join(out, "j8bt05njq_raw.jpg"));
  const picture = readPicture(RAW);
  for (const [path, size, width, height] of [
    [fullPath, -1, 1062, 1044],
    [thumbPath, 128, 128, 126],
  ] as const) {
    const jpeg = readFileSync(path);
    const decoded = await decodeGrey(jpeg);
    assert.equal(decoded.width, width);
    assert.equal(decoded.height, height);
    // Baseline JFIF with one component (SOF0, Nf = 1).
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    assert.ok(sof > 0, "baseline SOF0");
    assert.equal(jpeg[sof + 9], 1, "one grey component");
    const expected = renderGrey(picture.plane, size);
    let diff = 0;
    for (let i = 0; i < expected.grey.length; i++) diff += Math.abs(decoded.grey[i] - expected.grey[i]);
    assert.ok(diff / expected.grey.length < 4, `mean JPEG difference ${diff / expected.grey.length}`);
  }
});

test("every pixel of the real full-size preview is the appendix stretch of its FITS pixel, rows flipped", () => {
  const picture = readPicture(RAW);
  const { width, height, data } = picture.plane;
  const preview = renderGrey(picture.plane, -1);
  for (let row = 0; row < height; row += 7) {
    for (let i = 0; i < width; i++) {
      assert.equal(preview.grey[row * width + i], greyLevel(data[(height - 1 - row) * width + i], preview.limits));
    }
  }
});

test("the JPEG comment carries the WCS scaled to the thumbnail, as fitscut writes it", async () => {
  const jpeg = await previewJpeg(readPicture(RAW), 128);
  const comment = jpegComment(jpeg) ?? "";
  assert.match(comment, /^CTYPE1 {2}= 'RA---TAN'\n/);
  assert.match(comment, /CD1_1 {3}= -?\d/);
  assert.match(comment, /COMMENT Created by caldp/);
});

test("a two-chip product is mosaicked: SCI,1 (chip 2) at the bottom, chip 1 above; blank pixels white", async () => {
  const dir = scratchDir("mosaic");
  const file = join(dir, "jtest01aq_flt.fits");
  const width = 64;
  const height = 32;
  const chip = (level: number) => new Float32Array(width * height).map((_, i) => level + (i % 13));
  const lower = chip(5000);
  for (let y = 8; y < 16; y++) for (let x = 8; x < 16; x++) lower[y * width + x] = 0; // a blank 8×8 block
  writeProduct(file, [
    { data: lower, width, height, ccdchip: 2 },
    { data: chip(100), width, height, ccdchip: 1 },
  ]);
  const [, full] = await writeImagePreviews(file, dir);
  const decoded = await decodeGrey(readFileSync(full));
  assert.equal(decoded.width, 64);
  assert.equal(decoded.height, 64, "both chips");
  const at = (x: number, row: number) => decoded.grey[row * width + x];
  assert.ok(at(40, 60) > 150, "bottom of the picture = chip 2 (bright)");
  assert.ok(at(40, 4) < 60, "top of the picture = chip 1 (faint)");
  assert.ok(at(11, 63 - 11) > 240, "the blank block is white");
  const fitscut = readPicture(file, { mosaic: false, dqMask: false });
  assert.equal(fitscut.plane.height, 32, "fitscut-compatible: SCI,1 only");
});

test("DQ-flagged pixels of a product are kept out of the scale, not out of the picture", () => {
  const dir = scratchDir("dq");
  const file = join(dir, "jtest02aq_flt.fits");
  const width = 100;
  const data = new Float32Array(width * width).map((_, i) => 100 + ((i * 37) % 50));
  const dq = new Int16Array(width * width);
  for (let i = 0; i < data.length; i += 20) {
    data[i] = 1e6;
    dq[i] = 16;
  }
  writeProduct(file, [{ data, width, height: width, dq }]);
  const masked = renderGrey(readPicture(file).plane, -1);
  const plain = renderGrey(readPicture(file, { dqMask: false }).plane, -1);
  assert.ok(masked.limits.max < 1000);
  assert.ok(plain.limits.max > 1e5);
  assert.equal(masked.grey[(width - 1) * width], 255, "a flagged hot pixel is drawn, saturated");
});

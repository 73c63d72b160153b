// calstis6's geocoronal windows (FindLya) and the MAMA background polynomial around them, on small images
// whose answers follow from findlya.c and background.c by hand.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { X1dImage } from "../../../src/calib/stis/x1d-image.js";
import { lymanAlphaWindows, NO_WINDOWS, smoothMamaBackground } from "../../../src/calib/stis/x1d-lyman-alpha.js";

/** 200 × 20 image, flat 1 count, plus `extra` in columns [from, to). */
function image(from: number, to: number, extra: number, flagged = 0): X1dImage {
  const nx = 200;
  const ny = 20;
  const sci = new Float32Array(nx * ny).fill(1);
  const dq = new Uint16Array(nx * ny);
  for (let y = 0; y < ny; y++) {
    for (let x = from; x < to; x++) {
      sci[y * nx + x] += extra;
      if (y < flagged) dq[y * nx + x] = 16;
    }
  }
  return { nx, ny, sci, err: new Float32Array(nx * ny), dq };
}

// G140L-like: 1 Å per pixel from 1200 Å at CRPIX1 1 → Lyα near column 17, O I near column 101; a slit 8 pixels
// wide (0.2″ at 0.025″ per pixel).
const wcs = { crval1: 1200, crpix1: 1, cd: [1, 0.025 / 3600] as [number, number], ltm: [1, 1] as [number, number] };
const slit = { width1: 0.2, sdqflags: 16 };

test("Lyα found by the box cross-correlation: windows of the slit's width plus 15 columns, O I offset by 84", () => {
  // the line in columns 19…26, 6 columns redward of where the WCS puts Lyα (17): the box of 8 centred on 23
  const w = lymanAlphaWindows(image(19, 27, 50), { ...wcs, ...slit });
  assert.deepEqual(w, [23 - 4 - 15, 23 + 4 + 15, 23 - 4 - 15 + 84, 23 + 4 + 15 + 84]);
});

test("a brighter peak more than 50 columns away is passed over; flagged pixels left out; off the image: none", () => {
  // a bright last column raises the box at 196…199: four peaks passed over, the fifth is the line at 23
  const far = image(19, 27, 20);
  for (let y = 0; y < 20; y++) far.sci[y * 200 + 199] += 500;
  assert.deepEqual(lymanAlphaWindows(far, { ...wcs, ...slit }).slice(0, 2), [23 - 19, 23 + 19]);
  // a wide bright band far away holds the five brightest: the WCS's column (17) is used
  assert.deepEqual(lymanAlphaWindows(image(150, 158, 500), { ...wcs, ...slit }).slice(0, 2), [17 - 19, 17 + 19]);
  // the same band flagged in every row is left out of the sums: all boxes equal, the first (column 0) wins
  assert.deepEqual(lymanAlphaWindows(image(150, 158, 500, 20), { ...wcs, ...slit }).slice(0, 2), [-19, 19]);
  assert.deepEqual(lymanAlphaWindows(image(0, 0, 0), { ...wcs, crval1: 4300, ...slit }), NO_WINDOWS);
});

test("the MAMA background polynomial: fitted outside the narrowed windows and the 10 end columns, kept inside", () => {
  const n = 120;
  const background = Float32Array.from({ length: n }, (_, i) => 0.5 + 0.01 * i);
  for (let i = 31; i < 50; i++) background[i] = 9;
  const smoothed = smoothMamaBackground(background, 1, [25, 55, 90, 95]);
  // the window (25, 55) narrowed to (30, 50): columns 31…49 keep 9; column 30 and 50 are fitted
  for (let i = 31; i < 50; i++) assert.equal(smoothed[i], 9);
  for (const i of [10, 20, 60, 80, 110]) assert.ok(Math.abs(smoothed[i] - (0.5 + 0.01 * i)) < 0.2, `column ${i}`);
  for (const i of [0, 9, 111, 119]) assert.equal(smoothed[i], background[i]);
  assert.deepEqual(smoothMamaBackground(Float32Array.of(1, 2, 3), 3, NO_WINDOWS), Float32Array.of(1, 2, 3));
});

/**
 * calstis4's first-order shift in the dispersion direction and its cosmic-ray flagging, on rectified lamp images
 * made from the simulator's LAMPTAB with a known shift. On cs0.e 3.5.0's own rectified wavecal of the long-slit
 * case (its o8ss01010_w2d_tmp.fits, kept with cs0.e -s) these functions give 1.6821686818713157 pixels, which hstio
 * writes as cs4's SHIFTA1 = 1.682168681871; that file cannot be made here until calstis7 is native.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { flagWavecalCosmicRays } from "../../../src/calib/stis/wavecal-flagcr.js";
import {
  convolveWithSlit,
  type DispersionShiftInput,
  dispersionShift,
  type LampSpectrum,
  lampTemplate,
} from "../../../src/calib/stis/wavecal-xcorr.js";
import { FitsFile } from "../../../src/fits/index.js";
import { simulateStisLongSlitCase } from "../../parity/stis-longslit-case.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-wavecal-xcorr-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir);

function readLamp(): LampSpectrum {
  const file = readdirSync(sim.referenceDir).find((f) => f.endsWith("_lmp.fits"))!;
  const fits = FitsFile.open(join(sim.referenceDir, file));
  try {
    const table = fits.readTable(1);
    const column = (name: string) => table.columns.find((c) => c.name === name)!.data as ArrayLike<number>;
    return { wavelength: column("WAVELENGTH"), flux: column("FLUX") };
  } finally {
    fits.close();
  }
}

const lamp = readLamp();
const nx = 1024;
const ny = 200;
// the rectified G430L frame of cs0.e's w2d: 2.74597 Å per pixel, 4300 Å at zero-indexed column 511.5
const wcs = { crpix: 511.5, crval: 4300, cdelt: 2.74597 };
const options: DispersionShiftInput = {
  ...wcs,
  columns: [30, nx - 31],
  rows: [30, ny - 31],
  slitWidth: 0.197 / 0.05078,
  wlRange: 21,
  sdqflags: 31743 & ~(8 | 16 | 1024),
};

/** A rectified lamp image whose lines lie `shift` pixels to the right of the template, on a flat background. */
function lampImage(shift: number) {
  const row = lampTemplate(lamp, nx, wcs.crpix + shift, wcs.crval, wcs.cdelt);
  convolveWithSlit(row, options.slitWidth);
  const sci = new Float32Array(nx * ny);
  let seed = 12345;
  // read noise of about 3 counts (a fixed linear congruential sequence: the same image every run)
  const noise = () => {
    let sum = 0;
    for (let k = 0; k < 4; k++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      sum += seed / 2 ** 32 - 0.5;
    }
    return 3 * sum * Math.sqrt(3);
  };
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) sci[j * nx + i] = 20 + 0.5 * row[i] + noise();
  return { nx, ny, sci, dq: new Int32Array(nx * ny) };
}

// The parabola through the cross-correlation's three highest lags pulls a fractional shift towards the nearest
// whole pixel when the lines are sharp (0.4 is found as 0.27 here); cs0.e found 1.682 for the simulated 1.7.
test("the shift of a lamp image is found to 0.15 pixel, either way and beyond one pixel, in order", () => {
  const shifts = [-2.35, 0, 0.4, 1.7, 6.2];
  const found = shifts.map((shift) => dispersionShift(lampImage(shift), lamp, options)!);
  for (const [k, shift] of shifts.entries()) assert.ok(Math.abs(found[k] - shift) < 0.15, `${shift}: ${found[k]}`);
  assert.ok(Math.abs(found[1]) < 0.01 && Math.abs(found[3] - 1.7) < 0.03, `${found}`);
  assert.deepEqual(
    [...found].sort((a, b) => a - b),
    found,
  );
});

test("cosmic rays in the wavecal are flagged DATAREJECT and no longer pull the shift", () => {
  const image = lampImage(1.7);
  const hits = [
    [100, 40],
    [101, 40],
    [400, 77],
    [700, 150],
    [850, 60],
  ];
  for (const [x, y] of hits) image.sci[y * nx + x] += 5e5;
  // many hits in one column bias an unflagged mean; flagged, the shift is the lamp's again
  for (let y = 30; y < 170; y += 3) image.sci[y * nx + 520] += 5e4;
  const flagged = flagWavecalCosmicRays(image, { nsigmaCr: 3, nsigmaIllum: 3, madReject: 5, minMad: 5, ...options });
  for (const [x, y] of hits) assert.equal(image.dq[y * nx + x] & 8192, 8192, `hit at ${x},${y}`);
  for (let y = 30; y < 170; y += 3) assert.equal(image.dq[y * nx + 520] & 8192, 8192, `hit at 520,${y}`);
  // and the noise's 3σ tail, about 0.06 % of the pixels with this noise
  assert.ok(flagged < hits.length + 47 + 0.001 * nx * ny, `${flagged} flagged`);
  const found = dispersionShift(image, lamp, options)!;
  assert.ok(Math.abs(found - dispersionShift(lampImage(1.7), lamp, options)!) < 0.002, `found ${found}`);
});

test("no good pixel, or no peak inside the lag range, gives no shift", () => {
  const dark = lampImage(0);
  dark.dq.fill(4);
  assert.equal(dispersionShift(dark, lamp, options), undefined);
  // a lamp that is off: the cross-correlation is flat, its largest value the first lag's
  const off = { nx, ny, sci: new Float32Array(nx * ny).fill(20), dq: new Int32Array(nx * ny) };
  assert.equal(dispersionShift(off, lamp, options), undefined);
});

// The cross-dispersion search of a lamp flash (calib/cos/xd-search.ts, calcos' ttFindSpec): the smoothed profile
// equals scipy.ndimage.convolve's on a float32 profile (the oracle calcos uses), odd and even box widths; a
// spectrum's row is found within a tenth of a pixel; a profile without a peak finds nothing.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { boxSmooth, findSpectrumRow, findXdShift } from "../../../src/calib/cos/xd-search.js";
import { mulberry32 } from "../../helpers/mulberry32.js";
import { PYTHON } from "../../helpers/paths.js";

const SCIPY = [
  "import json, sys",
  "import numpy as np",
  "from scipy import ndimage",
  "d = json.load(sys.stdin)",
  "x = np.array(d['x'], dtype=np.float32)",
  "print(json.dumps([[float(v) for v in ndimage.convolve(x, np.ones(b) / b, mode='nearest')] for b in d['boxes']]))",
].join("\n");

test("the smoothed profile is scipy.ndimage.convolve's, bit for bit (box 13 and 12)", () => {
  const random = mulberry32(3);
  const profile = Float32Array.from({ length: 300 }, (_, i) =>
    Math.floor(random() * 20 + 500 * Math.exp(-(((i - 150) / 3) ** 2))),
  );
  const boxes = [13, 12, 1];
  const theirs: number[][] = JSON.parse(
    execFileSync(PYTHON, ["-c", SCIPY], { input: JSON.stringify({ x: Array.from(profile), boxes }), encoding: "utf8" }),
  );
  for (const [k, box] of boxes.entries())
    assert.deepEqual(Array.from(boxSmooth(profile, box)), theirs[k], `box ${box}`);
});

test("a wavecal spectrum's row within 0.1 pixel; no peak above the noise, no shift", () => {
  const random = mulberry32(5);
  const xi: number[] = [];
  const eta: number[] = [];
  for (let k = 0; k < 20000; k++) {
    xi.push(random() * 1024);
    // a Gaussian profile of sigma 2 rows centred on 663.4, plus a flat background
    const u = random();
    const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    eta.push(u < 0.8 ? Math.round(663.4 + 2 * g) : Math.floor(random() * 1024));
  }
  const dq = new Int16Array(xi.length);
  const r = findXdShift({ xi, eta, dq }, [{ stripe: "NUVA", bSpec: 660, slope: 0, height: 17 }], 40, 13, 1024);
  assert.ok(r.shift2 !== undefined && Math.abs(r.shift2 - 3.4) < 0.1, `shift ${r.shift2}`);
  const flat = new Float32Array(1024).fill(4);
  assert.equal(findSpectrumRow(flat, 660, 40, 13).shift, undefined);
});

// The correction against the truth: faint stars (150–500 e-) far from the readout on a low sky, trailed by the
// simulator's model in 2020 and read out with read noise. The correction must bring their flux back within 1%
// where the trailed image loses several %, and remove most of the trails. (hstcal damps corrections near the
// read noise on purpose: fainter stars, 60–200 e-, go from 2.1% lost to 1.2%.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { type CteSettings, correctAmp, forwardAmp } from "../../../src/calib/common/cte/amp.js";
import { cteScaleFraction } from "../../../src/calib/common/cte/trap-map.js";
import { ACS_CTEDATE0, ACS_CTEDATE1, acsWfcCte } from "../../../src/sim/acs-cte.js";
import { Random } from "../../../src/sim/random.js";

const ROWS = 2048;
const COLUMNS = 96;
const SKY = 20;
const READ_NOISE = 4.5;
const HALF = 3;

test("faint stars: flux recovered within 1% of the truth, trails back to the sky", () => {
  const { parallel } = acsWfcCte();
  const settings: CteSettings = {
    ...parallel,
    columnOffset: 0,
    scaleFraction: cteScaleFraction(59000, ACS_CTEDATE0, ACS_CTEDATE1, "test"),
    readNoise: READ_NOISE,
  };
  const random = new Random("cte truth");
  const truth = new Float32Array(ROWS * COLUMNS).fill(SKY);
  const stars: { x: number; y: number; flux: number }[] = [];
  for (let x = 8; x < COLUMNS - 8; x += 16) {
    for (let y = 1200; y < ROWS - 100; y += 150) {
      const star = { x: x + random.int(4), y: y + random.int(20), flux: 150 + 350 * random.uniform() };
      stars.push(star);
      for (let dx = -HALF; dx <= HALF; dx++) {
        for (let dy = -HALF; dy <= HALF; dy++) {
          const weight = Math.exp(-(dx * dx + dy * dy) / 2) / (2 * Math.PI);
          truth[(star.x + dx) * ROWS + star.y + dy] += star.flux * weight;
        }
      }
    }
  }
  const image = { rows: ROWS, columns: COLUMNS, sci: Float32Array.from(truth), err: new Float32Array(truth.length) };
  forwardAmp(image, settings);
  // The same read noise on the truth: the comparison then measures what CTE and its correction do, not the noise.
  const reference = Float32Array.from(truth);
  for (let k = 0; k < image.sci.length; k++) {
    const noise = READ_NOISE * random.normal();
    image.sci[k] += noise;
    reference[k] += noise;
  }
  const observed = Float32Array.from(image.sci);
  correctAmp(image, settings);

  const aperture = (pixels: Float32Array, s: { x: number; y: number }) => {
    let sum = 0;
    for (let dx = -HALF; dx <= HALF; dx++)
      for (let dy = -HALF; dy <= HALF; dy++) sum += pixels[(s.x + dx) * ROWS + s.y + dy] - SKY;
    return sum;
  };
  const trail = (pixels: Float32Array, s: { x: number; y: number }) => {
    let sum = 0;
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = HALF + 1; dy <= HALF + 12; dy++) sum += pixels[(s.x + dx) * ROWS + s.y + dy] - SKY;
    return sum / 36;
  };
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  // Flux lost from the apertures, as a fraction of the stars' true flux in them.
  const total = (f: (s: { x: number; y: number }) => number) => stars.reduce((sum, s) => sum + f(s), 0);
  const trueFlux = total((s) => aperture(truth, s));
  const lossBefore = total((s) => aperture(reference, s) - aperture(observed, s)) / trueFlux;
  const lossAfter = total((s) => aperture(reference, s) - aperture(image.sci, s)) / trueFlux;
  const trailBefore = mean(stars.map((s) => trail(observed, s) - trail(reference, s)));
  const trailAfter = mean(stars.map((s) => trail(image.sci, s) - trail(reference, s)));

  assert.ok(lossBefore > 0.02, `the trailed image loses several % of the flux: ${(100 * lossBefore).toFixed(2)}%`);
  assert.ok(Math.abs(lossAfter) < 0.01, `corrected flux within 1%: ${(100 * lossAfter).toFixed(2)}%`);
  assert.ok(trailBefore > 0.1, `trails above the sky before: ${trailBefore.toFixed(3)} e-`);
  assert.ok(Math.abs(trailAfter) < trailBefore / 2, `trails mostly removed: ${trailAfter.toFixed(3)} e-`);
});

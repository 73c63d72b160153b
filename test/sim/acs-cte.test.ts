// The simulator's CTE trails (acs-cte.ts) on a small two-amp chip: direction of the parallel and serial
// trails for each amp, growth with the observation date, charge moved rather than lost.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { acsWfcCte, trailChip } from "../../src/sim/acs-cte.js";
import type { ChipLayout } from "../../src/sim/detectors.js";
import { simulateDataset } from "../../src/sim/index.js";

// Trap densities grow with the distance from the amp over a 2048-pixel readout: parallel tests use a narrow chip
// of full height, serial tests a short chip of full width.
const TALL = { nx: 64, ny: 2048 };
const WIDE = { nx: 4096, ny: 16 };
const electronics = { rawX0: 0, rawX1: 0, sciRawX0: 0, bias: 0, gain: 1, readNoise: 0 };
let NX = TALL.nx;
let NY = TALL.ny;
const chip = (left: "C" | "A", right: "D" | "B", size = TALL): ChipLayout => {
  NX = size.nx;
  NY = size.ny;
  return {
    extver: 1,
    ccdchip: left === "C" ? 2 : 1,
    rawNx: NX,
    rawNy: NY,
    sciRawY0: 0,
    sciNx: NX,
    sciNy: NY,
    amps: [
      { ...electronics, amp: left, sciX0: 0, sciWidth: NX / 2 },
      { ...electronics, amp: right, sciX0: NX / 2, sciWidth: NX / 2 },
    ],
  };
};
const cte = acsWfcCte();
const PRE_SM4 = 54500;
const POST_SM4 = 57000;
const at = (x: number, y: number) => y * NX + x;

function trailed(layout: ChipLayout, x: number, y: number, mjd: number): Float32Array {
  const electrons = new Float32Array(NX * NY);
  electrons[at(x, y)] = 5000;
  trailChip(electrons, layout, cte, mjd);
  return electrons;
}

const sum = (values: Float32Array) => values.reduce((a, b) => a + b, 0);
const changedOutside = (image: Float32Array, keep: (x: number, y: number) => boolean) =>
  image.findIndex((v, k) => v !== 0 && !keep(k % NX, Math.floor(k / NX)));

test("chip 2 before SM4: amp C trails up its column, away from the readout at row 0; no serial trail", () => {
  const image = trailed(chip("C", "D"), 5, 1800, PRE_SM4);
  assert.ok(image[at(5, 1800)] < 4995 && image[at(5, 1800)] > 4800, `source ${image[at(5, 1800)]}`);
  assert.ok(image[at(5, 1801)] > 1, `first trail pixel ${image[at(5, 1801)]}`);
  assert.ok(image[at(5, 1801)] > image[at(5, 1820)] && image[at(5, 1820)] > 0);
  assert.equal(
    changedOutside(image, (x, y) => x === 5 && y >= 1800 && y <= 1800 + 7 * 60),
    -1,
  );
  assert.ok(Math.abs(sum(image) - 5000) < 0.01, `charge moved, not lost: ${sum(image)}`);
});

test("chip 1: amps A and B read out at the top row, so their trails run down the column", () => {
  const a = trailed(chip("A", "B"), 5, 200, PRE_SM4);
  assert.ok(a[at(5, 199)] > 1 && a[at(5, 201)] === 0, `below ${a[at(5, 199)]}, above ${a[at(5, 201)]}`);
  const b = trailed(chip("A", "B"), 40, 200, PRE_SM4);
  assert.ok(b[at(40, 199)] > 1 && b[at(40, 201)] === 0);
});

test("after SM4 the serial readout trails along the row, away from each amp's side", () => {
  const c = trailed(chip("C", "D", WIDE), 1800, 8, POST_SM4);
  assert.ok(c[at(1801, 8)] > 0.05 && c[at(1799, 8)] === 0, `C right ${c[at(1801, 8)]}, left ${c[at(1799, 8)]}`);
  const d = trailed(chip("C", "D", WIDE), 4095 - 1800, 8, POST_SM4);
  const [left, right] = [d[at(4094 - 1800, 8)], d[at(4096 - 1800, 8)]];
  assert.ok(left > 0.05 && right === 0, `D left ${left}, right ${right}`);
  assert.equal(
    changedOutside(d, (x) => x >= 2048),
    -1,
    "amp C's pixels are untouched by amp D's trails",
  );
  const serial = c[at(1801, 8)];
  const tall = trailed(chip("C", "D"), 5, 1800, POST_SM4);
  assert.ok(serial < tall[at(5, 1801)], "serial trails are weaker than parallel ones");
});

test("the traps grow with the observation date (PCTEFRAC): later data lose more charge from the source", () => {
  const early = trailed(chip("C", "D"), 5, 1800, 53000);
  const late = trailed(chip("C", "D"), 5, 1800, 54900);
  assert.ok(5000 - late[at(5, 1800)] > 2 * (5000 - early[at(5, 1800)]));
  assert.throws(() => trailed(chip("C", "D"), 5, 1800, 52000), /EXPSTART 52000\) starts before CTEDATE0/);
});

test("CTE trails are an ACS/WFC option: other detectors refuse it before writing anything", () => {
  const out = mkdtempSync(join(tmpdir(), "caldp-sim-cte-"));
  after(() => rmSync(out, { recursive: true, force: true }));
  assert.throws(
    () => simulateDataset({ dataset: "j8cb05abq", detector: "HRC", out, cte: true }),
    /CTE trails are simulated for ACS\/WFC and WFC3\/UVIS only, not ACS\/HRC/,
  );
});

/**
 * WF32D and BIASCORR by bands of rows (issue 15: memory) give the bits of the whole image set: WF32D's
 * DARKCORR, FLATCORR, MEANDARK and the statistics over bands of 7 rows (the last one
 * short) of a subarray placed inside its references, the references' rows under each band read apart
 * (LTV2 moved with the band); BIASCORR with the BIASFILE read a band at a time.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { rowsView } from "../../src/calib/acs/reference-rows.js";
import { createImageSet, type ImageSet } from "../../src/calib/common/imset.js";
import type { ReferenceImage } from "../../src/calib/common/reference-image.js";
import { subtractUvisBias } from "../../src/calib/wfc3/uvis-bias.js";
import { bandOf, runWf32d, runWf32dByBands, type Wf32dInput } from "../../src/calib/wfc3/wf32d.js";
import { Random } from "../../src/sim/random.js";
import { uvisParameters } from "./wfc3-fixtures.js";

const [NX, NY] = [23, 40];
// A subarray whose pixel (0, 0) lies on reference pixel (5, 9): the references are larger.
const GEOMETRY = { ltv: [-5, -9] as [number, number], ltm: [1, 1] as [number, number] };

function randomSet(nx: number, ny: number, seed: number, level: number, geometry = GEOMETRY): ImageSet {
  const random = new Random(seed);
  const n = nx * ny;
  return createImageSet(nx, ny, {
    sci: Float32Array.from({ length: n }, () => level * (0.5 + random.uniform())),
    err: Float32Array.from({ length: n }, () => 1 + 3 * random.uniform()),
    dq: Uint16Array.from({ length: n }, () => (random.uniform() < 0.05 ? 16 : random.uniform() < 0.03 ? 4 : 0)),
    geometry,
    chip: 2,
  });
}

const copy = (s: ImageSet): ImageSet => ({ ...s, sci: s.sci.slice(), err: s.err.slice(), dq: s.dq.slice() });

function reference(set: ImageSet): ReferenceImage {
  return { name: "ref.fits", pedigree: "INFLIGHT", descrip: "test", imsets: [set] };
}

/** A reference's rows [first, first + ny) alone, LTV2 moved with them (as engine/wfc3/reference-bands.ts reads them). */
function rowsOf(ref: ReferenceImage, first: number, ny: number): ReferenceImage {
  const set = ref.imsets[0]!;
  const rows = rowsView(set, first, first + ny);
  const { ltv, ltm } = set.geometry;
  return { ...ref, imsets: [{ ...rows, geometry: { ltv: [ltv[0], ltv[1] - first], ltm } }] };
}

function input(set: ImageSet, dark: ReferenceImage, pflt: ReferenceImage): Wf32dInput {
  return {
    set,
    params: uvisParameters({ atodgain: [1.5, 1.5, 1.6, 1.6], meanGain: 1.55, ampx: 11 }),
    switches: { DARKCORR: "PERFORM", FLATCORR: "PERFORM", SHADCORR: "OMIT", PHOTCORR: "OMIT", FLUXCORR: "OMIT" },
    exptime: 400,
    expstart: 56000,
    filter: "F606W",
    sdqflags: 16,
    dark,
    pflt,
    ncombine: 1,
  };
}

test("WF32D by bands of 7 rows, references read under each band: every pixel, MEANDARK and statistics as whole", () => {
  const science = randomSet(NX, NY, 1, 1000);
  const dark = reference(randomSet(40, 60, 2, 0.01, { ltv: [0, 0], ltm: [1, 1] }));
  const pflt = reference(randomSet(40, 60, 3, 1, { ltv: [0, 0], ltm: [1, 1] }));
  const whole = runWf32d(input(copy(science), dark, pflt));
  const banded = copy(science);
  let bands = 0;
  const result = runWf32dByBands(input({ ...banded, sci: new Float32Array(0) }, dark, pflt), (visit) => {
    for (let y0 = 0; y0 < NY; y0 += 7) {
      const ny = Math.min(7, NY - y0);
      const band = bandOf(science, y0, rowsView(banded, y0, y0 + ny));
      // the references' rows under the band: 9 rows down in them (LTV2 = -9)
      visit(band, { dark: rowsOf(dark, 9 + y0, ny), pflt: rowsOf(pflt, 9 + y0, ny) });
      bands++;
    }
  });
  assert.equal(bands, 6);
  assert.deepEqual(banded.sci, whole.set.sci);
  assert.deepEqual(banded.err, whole.set.err);
  assert.deepEqual(banded.dq, whole.set.dq);
  assert.deepEqual(result.sci, whole.sci);
  assert.deepEqual(result.err, whole.err);
  assert.deepEqual(result.history, whole.history);
  assert.deepEqual(
    result.steps.map((s) => [s.switch, s.state, s.outcome]),
    whole.steps.map((s) => [s.switch, s.state, s.outcome]),
  );
  assert.ok(Number(result.sci.MEANDARK) > 0 && Number(result.sci.NGOODPIX) > 0);
});

test("WF32D by bands: a DARKFILE that does not cover the whole image set is refused as for the whole, before any band", () => {
  const science = randomSet(NX, NY, 4, 1000);
  const small = reference(randomSet(40, 45, 5, 0.01, { ltv: [0, 0], ltm: [1, 1] }));
  const pflt = reference(randomSet(40, 60, 6, 1, { ltv: [0, 0], ltm: [1, 1] }));
  let visited = false;
  const whole = (() => {
    try {
      runWf32d(input(copy(science), small, pflt));
    } catch (e) {
      return (e as Error).message;
    }
    return "";
  })();
  assert.match(whole, /DARKFILE/);
  assert.throws(
    () =>
      runWf32dByBands(input(science, small, pflt), () => {
        visited = true;
      }),
    (e: Error) => e.message === whole,
  );
  assert.equal(visited, false);
});

test("WF32D by bands: no band at all is an error, not empty statistics", () => {
  const science = randomSet(NX, NY, 7, 1000);
  const ref = reference(randomSet(40, 60, 8, 1, { ltv: [0, 0], ltm: [1, 1] }));
  assert.throws(() => runWf32dByBands(input(science, ref, ref), () => {}), /no rows of the 23x40 image set/);
});

test("BIASCORR with the BIASFILE read by rows equals the bias held whole (subarray inside a larger bias)", () => {
  const bias = randomSet(30, 300, 9, 50, { ltv: [0, 0], ltm: [1, 1] });
  const science = randomSet(20, 260, 10, 3000, { ltv: [-4, -17], ltm: [1, 1] });
  const whole = copy(science);
  subtractUvisBias(whole, [bias], "C", "C");
  const read: [number, number][] = [];
  const byRows = copy(science);
  const pixelless = { ...bias, sci: new Float32Array(0), err: new Float32Array(0), dq: new Uint16Array(0) };
  subtractUvisBias(byRows, [pixelless], "C", "C", (set, y0, y1) => {
    assert.equal(set, pixelless);
    read.push([y0, y1]);
    return rowsView(bias, y0, y1);
  });
  assert.deepEqual(byRows.sci, whole.sci);
  assert.deepEqual(byRows.err, whole.err);
  assert.deepEqual(byRows.dq, whole.dq);
  // 260 rows from bias row 17: bands of 128, 128 and 4
  assert.deepEqual(read, [
    [17, 145],
    [145, 273],
    [273, 277],
  ]);
});

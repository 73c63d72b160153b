import assert from "node:assert/strict";
import { test } from "node:test";
import { rejectChip, rejectionKeywords } from "../../src/calib/common/cr-reject.js";
import { initialGuess } from "../../src/calib/common/cr-reject-guess.js";
import { histogramLayout, histogramMode, skyLevels } from "../../src/calib/common/cr-reject-sky.js";
import { type CrrejParameters, crrejParameters, parseSigmas, selectCrrejRow } from "../../src/calib/common/crrejtab.js";
import { CalibrationError } from "../../src/calib/common/errors.js";

const f32 = (values: number[]) => Float32Array.from(values);
const u16 = (values: number[]) => Uint16Array.from(values);

const crrejtab = [
  {
    CRSPLIT: 2,
    MEANEXP: 100,
    SCALENSE: 0,
    INITGUES: "med",
    SKYSUB: "mode",
    CRSIGMAS: "6,5,4",
    CRRADIUS: 2.1,
    CRTHRESH: 0.5555,
    BADINPDQ: 39,
    CRMASK: true,
  },
  {
    CRSPLIT: 2,
    MEANEXP: 500,
    SCALENSE: 1,
    INITGUES: "minimum",
    SKYSUB: "none",
    CRSIGMAS: "8,6",
    CRRADIUS: 1,
    CRTHRESH: 0.5,
    BADINPDQ: 0,
    CRMASK: false,
  },
  {
    CRSPLIT: 2,
    MEANEXP: 1000,
    SCALENSE: 2,
    INITGUES: "med",
    SKYSUB: "mode",
    CRSIGMAS: "4",
    CRRADIUS: 0,
    CRTHRESH: 1,
    BADINPDQ: 0,
    CRMASK: false,
  },
  {
    CRSPLIT: 4,
    MEANEXP: 200,
    SCALENSE: 3,
    INITGUES: "med",
    SKYSUB: "mode",
    CRSIGMAS: "5,4",
    CRRADIUS: 1.5,
    CRTHRESH: 0.6,
    BADINPDQ: 0,
    CRMASK: true,
  },
  {
    CRSPLIT: 2,
    MEANEXP: 500,
    SCALENSE: 4,
    INITGUES: "med",
    SKYSUB: "mode",
    CRSIGMAS: "7",
    CRRADIUS: 1,
    CRTHRESH: 0.5,
    BADINPDQ: 0,
    CRMASK: false,
  },
];

test("CRREJTAB: CRSPLIT = n, smallest MEANEXP − mean ≥ 0, later rows win ties; n clipped to the largest CRSPLIT", () => {
  assert.equal(selectCrrejRow(crrejtab, 2, 600), 4); // mean 300: rows 1 and 4 (diff 200) tie, row 4 is later
  assert.equal(selectCrrejRow(crrejtab, 2, 100), 0); // mean 50: row 0 (diff 50)
  assert.equal(selectCrrejRow(crrejtab, 5, 600), 3); // n clipped to 4, mean 600/5 = 120 ≤ 200
  assert.throws(
    () => selectCrrejRow(crrejtab, 2, 4000),
    (e: CalibrationError) => e.code === "TABLE_ROW_MISSING",
  );
  const p = crrejParameters(crrejtab, 2, 600, { crsigmas: "3.5, 2.5" });
  assert.deepEqual(p.sigmas, [3.5, 2.5]);
  assert.equal(p.scalense, 4);
  assert.equal(p.meanexp, 300);
  assert.equal(crrejParameters(crrejtab, 2, 100).badinpdq, 39);
});

test("CRSIGMAS parsing as hstcal strtor", () => {
  assert.deepEqual(parseSigmas("6,5,4"), [6, 5, 4]);
  assert.deepEqual(parseSigmas(" 8;6/4 3"), [8, 6, 4, 3]);
  assert.deepEqual(parseSigmas("6.5,"), [6.5]);
  assert.equal(parseSigmas("6,,5"), -1);
  assert.equal(parseSigmas("+6"), -1);
  assert.throws(() => crrejParameters(crrejtab, 2, 600, { crsigmas: "" }), CalibrationError);
});

test("sky mode: parabolic peak of a constructed histogram, and the histogram rules", () => {
  const counts = new Int32Array(1000);
  counts.set([0, 2, 10, 6]);
  // bpeak 2, dh1 = 8, dh2 = 4: 2 + 0.5 + 0.5·4/12 = 2.8333…
  assert.equal(histogramMode({ counts, width: 1, min: 0 }), Math.fround(2.5 + 2 / 12));
  counts.fill(0);
  counts[0] = 5;
  assert.equal(histogramMode({ counts, width: 2, min: -3 }), -2); // peak in the first bin: its centre

  // 20 × 5.5, 12 × 4.5, 8 × 6.5 and one flagged 4.5: min 4, mean (int)(5.4+1) = 6 → 1000 bins of width 1
  const values = [...Array(20).fill(5.5), ...Array(12).fill(4.5), ...Array(8).fill(6.5), 4.5];
  const image = { sci: f32(values), dq: u16(values.map((_, k) => (k === 40 ? 16 : 0))) };
  assert.deepEqual(histogramLayout(image, 0), { nbins: 1000, width: 1, min: 4 });
  // bins 0,1,2 = 12,20,8: 4 + 1 + 0.5 + 0.5·(8 − 12)/20 = 5.4
  assert.deepEqual(skyLevels("mode", [image, image], 0), [Math.fround(5.4), Math.fround(5.4)]);
  assert.deepEqual(skyLevels("none", [image], 0), [0]);
});

test("initial guess: median of good pixels; the minimum's reset-to-0 quirk", () => {
  const images = [
    { sci: f32([5, 8]), dq: u16([0, 0]), efac: 1, sky: 0 },
    { sci: f32([3, 2]), dq: u16([4, 0]), efac: 1, sky: 0 },
    { sci: f32([7, 6]), dq: u16([0, 0]), efac: 1, sky: 0 },
  ];
  assert.deepEqual([...initialGuess("med", images, 4, 2)], [6, 6]); // pixel 0: median of 5, 7
  // pixel 0: 5, then 3 < 5 but flagged → 0, then 7 > 0; pixel 1: min(8, 2, 6) = 2
  assert.deepEqual([...initialGuess("minimum", images, 4, 2)], [0, 2]);
});

function parameters(overrides: Partial<CrrejParameters> = {}): CrrejParameters {
  return {
    initgues: "med",
    skysub: "none",
    crsigmas: "3",
    sigmas: [3],
    crradius: 0,
    crthresh: 0.5,
    scalense: 0,
    badinpdq: 0,
    crmask: true,
    meanexp: 1,
    ...overrides,
  };
}

const ones = (n: number) => new Float32Array(n).fill(1);

test("rejection by hand: one hit among three, SCI in total electrons, ERR scaled, ERR[0,0] = -1", () => {
  const images = [f32([10, 10, 10]), f32([10, 50, 10]), f32([10, 12, 10])].map((sci) => ({
    sci,
    err: ones(3),
    dq: u16([0, 0, 0]),
  }));
  const r = rejectChip({ nx: 3, ny: 1, images, exptimes: [1, 1, 1], parameters: parameters(), imagetyp: "EXT" });
  // median 12; threshold 3²·1² = 9: 50 is hit ((50−12)² = 1444), 10 and 12 are not → (10 + 12)/2 · 3 s
  assert.deepEqual([...r.sci], [30, 33, 30]);
  assert.equal(r.err[1], Math.fround(Math.fround(3 / 2) * Math.SQRT2));
  assert.equal(r.err[0], -1);
  assert.equal(r.err[2], Math.fround(Math.sqrt(3)));
  assert.deepEqual([...r.dq], [0, 0, 0]);
  assert.equal(r.nrej, 1);
  assert.deepEqual(
    r.inputDq?.map((d) => [...d]),
    [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ],
  ); // nx < 8: nothing written back
});

test("rejection by hand: a hit spills onto a neighbour above CRTHRESH² × σ² ERR²; an all-excluded pixel is 0", () => {
  const images = [f32([10, 10, 10, 10]), f32([10, 50, 13, 10]), f32([10, 12, 10, 10])].map((sci, n) => ({
    sci,
    err: ones(4),
    dq: u16([0, 0, 0, n === 0 ? 0 : 16]),
  }));
  images[0]!.dq[3] = 16;
  const r = rejectChip({
    nx: 4,
    ny: 1,
    images,
    exptimes: [1, 1, 1],
    parameters: parameters({ crradius: 1, crthresh: 0.5, badinpdq: 16 }),
    imagetyp: "EXT",
  });
  // pixel 2 of image 1: (13 − 10)² = 9 is not above 9, but above 0.25 · 9 → SPILL, so (10 + 10)/2
  assert.deepEqual([...r.sci], [30, 33, 30, 0]);
  assert.equal(r.nrej, 2);
  // excluded everywhere: SCI filled with 0; 8192 stays only where every input was HIT or SPILL (as hstcal)
  assert.deepEqual([...r.dq], [0, 0, 0, 16]);
});

test("rejection by hand: a pixel hit in every input gets 8192 and SCI 0", () => {
  const images = [f32([10, 50]), f32([10, 90])].map((sci) => ({ sci, err: ones(2), dq: u16([0, 0]) }));
  const r = rejectChip({ nx: 2, ny: 1, images, exptimes: [2, 2], parameters: parameters(), imagetyp: "EXT" });
  // rates 25 and 45, median 35; (±10)² = 100 > 9/4 in both → no good input
  assert.deepEqual([...r.sci], [20, 0]);
  assert.deepEqual([...r.dq], [0, 8192]);
  assert.equal(r.nrej, 2);
});

test("CR flags written back into the input DQ, whole bytes only (hstcal packs 8 pixels a byte)", () => {
  // 10 columns: a hit in columns 1 and 9 of image 1; column 9 is past the last whole byte of flags.
  const row = (hits: number[]) => f32(Array.from({ length: 10 }, (_, i) => (hits.includes(i) ? 90 : 10)));
  const images = [row([]), row([1, 9]), row([]), row([])].map((sci) => ({
    sci,
    err: ones(10),
    dq: u16(Array(10).fill(8192 | 1)),
  }));
  const r = rejectChip({ nx: 10, ny: 1, images, exptimes: [1, 1, 1, 0], parameters: parameters(), imagetyp: "EXT" });
  assert.equal(r.nrej, 2);
  const cleared = [1, 1, 1, 1, 1, 1, 1, 1, 8193, 8193];
  assert.deepEqual([...images[1]!.dq], [1, 8193, 1, 1, 1, 1, 1, 1, 8193, 8193]);
  assert.deepEqual([...images[0]!.dq], cleared);
  assert.deepEqual([...images[3]!.dq], cleared, "an input with EXPTIME 0 has no rejected pixel");
  assert.equal(r.inputDq?.[1], images[1]!.dq, "written in place");
});

test("primary keywords of the combined product", () => {
  const updates = rejectionKeywords({
    exptimes: [100, 300],
    expstarts: [55000.5, 55000.1],
    expends: [55000.6, 55000.2],
    darktimes: [110, 310],
    flashdurs: [0, 0],
    parameters: parameters({ initgues: "bogus" }),
    nextend: 6,
    firstChip: { skysum: 12.5, nrej: 1000 },
    productRoot: "j8xy01010",
    asnMtyp: "PROD-CRJ",
  });
  assert.deepEqual(
    {
      EXPTIME: updates.primary["EXPTIME"],
      TEXPTIME: updates.primary["TEXPTIME"],
      EXPSTART: updates.primary["EXPSTART"],
      EXPEND: updates.primary["EXPEND"],
      SKYSUM: updates.primary["SKYSUM"],
      REJ_RATE: updates.primary["REJ_RATE"],
      DARKTIME: updates.primary["DARKTIME"],
      INITGUES: updates.primary["INITGUES"],
      CRCORR: updates.primary["CRCORR"],
      ROOTNAME: updates.primary["ROOTNAME"],
    },
    {
      EXPTIME: 400,
      TEXPTIME: 400,
      EXPSTART: 55000.1,
      EXPEND: 55000.6,
      SKYSUM: 12.5,
      REJ_RATE: 2.5,
      DARKTIME: 420,
      INITGUES: "minimum",
      // recorded by the step framework (rejection-step.ts), not here
      CRCORR: undefined,
      ROOTNAME: "J8XY01010",
    },
  );
  assert.equal(updates.sci["NCOMBINE"], 2);
});

// The lamp-flash dispersion shift (calib/cos/findshift.ts, stripe-shifts.ts) on the real NUV lampflash's spectra
// against float32 templates moved by known fractions of a pixel: equal to calcos 3.4.7's findshift1 (recorded in
// fingerprints/cos-findshift-lampflash.json) and close to the known move; a stripe with no counts is not found.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { findShift } from "../../../src/calib/cos/findshift.js";
import { findStripeShifts, trimEdgeLines } from "../../../src/calib/cos/stripe-shifts.js";
import {
  caseInputs,
  findshiftFingerprintPath,
  lampflashCounts,
  movedTemplate,
  SHIFT_CASES,
  X_OFFSET,
  XC_RANGE,
} from "../../parity/cos-findshift-case.js";

interface Recorded {
  name: string;
  stripes: Record<
    string,
    { shift1: number; measured: number; found: boolean; scatter: number; chiSquare: number; ndf: number }
  >;
}
const recorded: Recorded[] = JSON.parse(readFileSync(findshiftFingerprintPath, "utf8")).cases;
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs calcos ${b}`);

test("every stripe's shift, flag, scatter and χ² equal calcos' findshift1", () => {
  assert.equal(recorded.length, SHIFT_CASES.length);
  for (const c of SHIFT_CASES) {
    const theirs = recorded.find((r) => r.name === c.name);
    assert.ok(theirs, c.name);
    const search = { opticalElement: "G285M", xOffset: X_OFFSET, xcRange: XC_RANGE, initialOffset: c.initialOffset };
    const ours = findStripeShifts(caseInputs(c), search);
    for (const [stripe, t] of Object.entries(theirs.stripes)) {
      const o = ours.get(stripe);
      assert.ok(o, `${c.name} ${stripe}`);
      const what = `${c.name} ${stripe}`;
      assert.equal(o.found, t.found, `${what} found`);
      assert.equal(o.ndf, t.ndf, `${what} ndf`);
      close(o.shift1, t.shift1, `${what} shift1`);
      close(o.measured, t.measured, `${what} measured`);
      close(o.scatter, t.scatter, `${what} scatter`);
      close(o.chiSquare, t.chiSquare, `${what} chi square`);
    }
  }
  // the recorded cases reach calcos' branches: trusted stripes, stripes repaired from the others
  const flags = recorded.flatMap((r) => Object.values(r.stripes).map((s) => s.found));
  assert.ok(flags.includes(true) && flags.includes(false));
});

test("a trusted stripe's shift is the known move of its template within its scatter", () => {
  const c = SHIFT_CASES[0];
  const search = { opticalElement: "G285M", xOffset: X_OFFSET, xcRange: XC_RANGE, initialOffset: 0 };
  const ours = findStripeShifts(caseInputs(c), search);
  ["NUVA", "NUVB", "NUVC"].forEach((stripe, s) => {
    const r = ours.get(stripe);
    assert.ok(r);
    assert.ok(
      Math.abs(r.measured - c.moves[s]) < Math.max(0.5, r.scatter),
      `${stripe}: ${r.measured} vs ${c.moves[s]}`,
    );
  });
});

test("NUVB's real lamp lines found at a move of 40.3 pixels, beyond the search range not", () => {
  const counts = lampflashCounts()[1];
  const search = { opticalElement: "G285M", xOffset: X_OFFSET, xcRange: XC_RANGE, initialOffset: 0 };
  const near = findShift(counts, movedTemplate(counts, 40.3), search);
  assert.ok(near.found && Math.abs(near.shift - 40.3) < 0.5, `found ${near.shift}`);
  const far = findShift(counts, movedTemplate(counts, 90), search);
  assert.ok(!far.found || Math.abs(far.shift - 90) > 5, "no shift beyond XC_RANGE");
});

test("a flash without counts is not found: every stripe takes no shift but its FP_PIXEL_SHIFT", () => {
  const counts = lampflashCounts();
  const inputs = counts.map((c, s) => ({
    stripe: ["NUVA", "NUVB", "NUVC"][s],
    spectrum: new Float64Array(c.length),
    template: movedTemplate(c, 2),
    fpPixelShift: 10 * s,
    found: true,
  }));
  const ours = findStripeShifts(inputs, {
    opticalElement: "G285M",
    xOffset: X_OFFSET,
    xcRange: XC_RANGE,
    initialOffset: 0,
  });
  for (const [s, r] of [...ours.values()].entries()) {
    assert.equal(r.found, false);
    assert.equal(r.shift1, 10 * s);
  }
});

test("a bright line cut by the detector's left edge is zeroed, a faint one kept", () => {
  const spec = new Float64Array(1274);
  spec.fill(2, X_OFFSET, X_OFFSET + 1024);
  spec.set([400, 380, 360, 200, 150, 120, 60, 30, 20, 10, 5, 4, 3, 2], X_OFFSET);
  const trimmed = trimEdgeLines(spec, X_OFFSET);
  assert.deepEqual(trimmed, { left: true, right: false });
  assert.deepEqual(Array.from(spec.subarray(X_OFFSET, X_OFFSET + 10)), [0, 0, 0, 0, 0, 0, 0, 0, 0, 10]);
  const faint = new Float64Array(1274).fill(2, X_OFFSET, X_OFFSET + 1024);
  assert.deepEqual(trimEdgeLines(faint, X_OFFSET), { left: false, right: false });
});

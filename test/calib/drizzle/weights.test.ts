/** Weight maps (EXP, ERR, IVM with a bad-pixel mask), weight scales, and context planes added as inputs arrive. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { createFrame, drizzle, withContextPlanes } from "../../../src/calib/drizzle/drizzle.js";
import { weightMap, weightScaleFor } from "../../../src/calib/drizzle/weights.js";
import { pixmapOf, shift, starField } from "./scenes.js";

const err = Float32Array.of(2, 0.5, 0, -1, Number.NaN, 4, Number.POSITIVE_INFINITY, 1);
const bad = Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 0);

test("ERR weights are 1/err² on good pixels, 0 where err is not a positive finite number or the pixel is bad", () => {
  assert.deepEqual(Array.from(weightMap("ERR", 8, { err, bad })), [0.25, 4, 0, 0, 0, 0, 0, 1]);
});

test("IVM weights are the map on good pixels; EXP weights are the good-pixel mask", () => {
  const ivm = Float32Array.of(3, 0, 2.5, -2, 1, 7, 1, 1);
  assert.deepEqual(Array.from(weightMap("IVM", 8, { ivm, bad })), [3, 0, 2.5, 0, 1, 0, 1, 1]);
  assert.deepEqual(Array.from(weightMap("EXP", 8, { bad })), [1, 1, 1, 1, 1, 0, 1, 1]);
  assert.equal(weightScaleFor("exptime", 520), 520);
  assert.equal(weightScaleFor("expsq", 520), 270400);
  assert.equal(weightScaleFor("", 520), 1);
});

test("a weight type without its array, or arrays of the wrong size, are refused naming them", () => {
  assert.throws(
    () => weightMap("ERR", 8, {}),
    (e: unknown) => e instanceof CalibrationError && /need the ERR/.test(e.message),
  );
  assert.throws(
    () => weightMap("IVM", 9, { ivm: new Float32Array(9), bad }),
    (e: unknown) =>
      e instanceof CalibrationError && e.code === "SIZE_MISMATCH" && /bad holds 8 values, not 9/.test(e.message),
  );
});

test("context planes added as inputs arrive keep the earlier bits; input 33 lands in the new plane", () => {
  const data = starField(12, 10, 3, 1);
  let frame = createFrame(16, 14);
  const n = 16 * 14;
  for (let id = 1; id <= 33; id++) {
    frame = withContextPlanes(frame, id);
    const xy = pixmapOf(12, 10, shift(2, 2));
    drizzle({ width: 12, height: 10, data }, undefined, { width: 12, height: 10, xy }, frame, {
      uniqid: id,
      kernel: "point",
    });
  }
  assert.equal(frame.ctx.length, 2 * n);
  const centre = 7 * 16 + 8;
  assert.equal(frame.ctx[centre], -1);
  assert.equal(frame.ctx[n + centre], 1);
  assert.equal(withContextPlanes(frame, 64), frame);
});

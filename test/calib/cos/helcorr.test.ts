// V_HELIO against calcos 3.4.7's own heliocentricVelocity on three dates and directions (values printed by
// calcos.timetag.heliocentricVelocity), and HELCORR's single-precision λ(1 − V/c) on the PSA only.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SPEED_OF_LIGHT } from "../../../src/calib/cos/doppcorr.js";
import { initialCorrtag } from "../../../src/calib/cos/events.js";
import { heliocentricVelocity } from "../../../src/calib/cos/helcorr.js";
import { computeWavelengths } from "../../../src/calib/cos/wavecorr.js";

test("heliocentric velocity equals calcos' (km/s)", () => {
  const calcos: [number, number, number, number][] = [
    [55400.25173, 297.758, 10.415, -0.7205163574643243],
    [51544.5, 0.0, -90.0, -2.1786300974141803],
    [60000.9, 180.5, 45.0, -0.976195756610478],
  ];
  for (const [t, ra, dec, v] of calcos) assert.ok(Math.abs(heliocentricVelocity(t, ra, dec) - v) < 1e-12, `${t}`);
});

test("HELCORR shifts the PSA wavelengths by −V/c in single precision, not the WCA's", () => {
  const e = initialCorrtag(
    { time: Float32Array.from([0, 1]), rawx: Int16Array.from([500, 500]), rawy: Int16Array.from([100, 600]) },
    "NUV",
    "t",
  );
  const relation = { coeff: [1800, 0.04], delta: 0 };
  const rows = {
    psa: [
      [0, 200],
      [200, 300],
      [300, 550],
    ] as [number, number][],
    wca: [
      [550, 700],
      [700, 800],
      [800, 1024],
    ] as [number, number][],
  };
  const relations = [0, 1, 2].map(() => ({ psa: relation, wca: relation }));
  computeWavelengths(e, rows, relations, -30);
  const f = Math.fround;
  const w = f(1820);
  assert.equal(e.wavelength[0], f(w + f(f(w * f(30)) / f(SPEED_OF_LIGHT))));
  assert.ok(e.wavelength[0] > 1820.18 && e.wavelength[0] < 1820.19);
  assert.equal(e.wavelength[1], 1820);
});

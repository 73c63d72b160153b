// V_HELIO as calstis computes it: equal to cs0.e's values recorded for the long-slit case (crj, each flt image
// set, sx1, sx2), and physically sound (the Earth's ~30 km/s, opposite half a year later, ~0 at the pole).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { heliocentricFactor, heliocentricVelocity } from "../../../src/calib/stis/heliocentric.js";

interface HeaderPrint {
  hdu: string;
  keywords: Record<string, number | string | boolean>;
}
const record: { products: { file: string; headers: HeaderPrint[] }[] } = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "..", "parity", "fingerprints", "stis-ccd-longslit.json"), "utf8"),
);

test("V_HELIO equals cs0.e's in every product of the long-slit case", () => {
  let compared = 0;
  for (const p of record.products) {
    const primary = p.headers[0].keywords;
    for (const h of p.headers.filter((x) => x.keywords.V_HELIO !== undefined)) {
      const expstart = (h.keywords.EXPSTART ?? primary.EXPSTART) as number;
      const expend = (h.keywords.EXPEND ?? primary.EXPEND) as number;
      const ra = primary.RA_TARG as number;
      const dec = primary.DEC_TARG as number;
      const { vHelio, factor } = heliocentricFactor(ra, dec, expstart, expend);
      const theirs = h.keywords.V_HELIO as number;
      assert.ok(Math.abs(vHelio - theirs) < 1e-9, `${p.file}[${h.hdu}]: ${vHelio}, cs0.e ${theirs}`);
      assert.equal(factor, 1 - vHelio / 299792.458);
      compared++;
    }
  }
  assert.equal(compared, 5, "crj, flt ×2, sx1, sx2");
});

test("the Earth's orbital speed towards an ecliptic target, its sign half a year later, and ~0 at the pole", () => {
  const mjd = 52039.25;
  const speeds = Array.from({ length: 73 }, (_, k) => Math.abs(heliocentricVelocity(270, -23.44, mjd + 5 * k)));
  const fastest = Math.max(...speeds);
  assert.ok(fastest > 29.2 && fastest < 30.4, `fastest ${fastest} km/s`);
  const now = heliocentricVelocity(150.1163, 2.2058, mjd);
  const later = heliocentricVelocity(150.1163, 2.2058, mjd + 182.6);
  assert.ok(now * later < 0 && Math.abs(now + later) < 2, `${now} then ${later}`);
  // the north ecliptic pole (RA 18h, Dec 66.56°): the orbit's velocity is perpendicular to it
  assert.ok(Math.abs(heliocentricVelocity(270, 66.5607, mjd)) < 0.6);
});

/**
 * Blot on python drizzle's own test flows (python-drizzle-testdata: a grid or point image on the ACS/HRC flt
 * frame, blotted onto each reference file's frame): equal to the C kernel on the same arguments, recorded from
 * the python package at test time, and to the references shipped with the package.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { blot } from "../../../src/calib/drizzle/blot.js";
import type { BlotInterpolation } from "../../../src/calib/drizzle/types.js";
import { compareImages, ORACLE_MISSING, oracleTestdata } from "./oracle.js";

for (const name of ["blot_default", "blot_point", "blot_lan3", "blot_lan5"]) {
  test(`${name}: equal to cdrizzle.tblot and to reference_${name}.fits`, { skip: ORACLE_MISSING }, () => {
    const t = oracleTestdata(name);
    const [ih, iw] = t.meta.input;
    const [oh, ow] = t.meta.output;
    const kw = t.meta.kw;
    const out = blot(
      { width: iw, height: ih, data: t.input },
      { width: ow, height: oh, xy: t.pixmap },
      {
        interpolation: kw.interp as BlotInterpolation,
        scale: kw.scale as number,
        kscale: kw.kscale as number,
        exposureTime: kw.exptime as number,
        missingValue: kw.misval as number,
        sinscl: kw.sinscl as number,
      },
    );
    const c = compareImages(out, t.c.blot!, 1e-6);
    assert.equal(c.bad, 0, `${name} vs C: ${c.first}`);
    let peak = 0;
    for (const v of t.reference) peak = Math.max(peak, Math.abs(v));
    const ref = compareImages(out, t.reference, 1e-4, 1e-5 * peak);
    assert.equal(ref.bad, 0, `${name} vs reference: ${ref.first}`);
    console.log(`${name}: max rel. diff vs C ${c.maxRelative}, vs reference ${ref.maxRelative}`);
  });
}

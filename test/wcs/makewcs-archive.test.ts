/**
 * stwcs's MakeWCS and velocity aberration against the archive: real ACS/WFC and WFC3/UVIS flc headers keep the
 * pipeline's OPUS WCS (key O), the IDCTAB's linear terms and reference point (OCX10…, IDCV2REF…) and stwcs's
 * result (key A, WCSNAMEA = IDC_<idctab>). From O and those terms we recompute A.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile, type Header } from "../../src/fits/index.js";
import { alternateWcsHeader, type IdcModel, readWcs } from "../../src/wcs/index.js";
import { type ChipInput, chipWcs, parityOf, referenceFrame } from "../../src/wcs/makewcs.js";
import { HST_DATA } from "../helpers/paths.js";

function idcFromHeader(h: Header): IdcModel {
  const n = (k: string) => h.getNumber(k);
  return {
    order: 1,
    cx: [
      [0, 0],
      [n("OCX10"), n("OCX11")],
    ],
    cy: [
      [0, 0],
      [n("OCY10"), n("OCY11")],
    ],
    xref: n("IDCXREF"),
    yref: n("IDCYREF"),
    xsize: 0,
    ysize: 0,
    pscale: n("IDCSCALE"),
    v2ref: n("IDCV2REF"),
    v3ref: n("IDCV3REF"),
    theta: n("IDCTHETA"),
  };
}

for (const name of ["sample_flc_header.fits", "sample_ipppssoot_flc.fits"]) {
  test(`${name}: CRVAL, CRPIX and CD of both chips as stwcs wrote them (WCS A)`, () => {
    const file = FitsFile.open(join(HST_DATA, name));
    const primary = file.hdus[0].header;
    const parity = parityOf(primary.getString("INSTRUME"), primary.getString("DETECTOR"));
    const sci = file.hdus.filter((h) => h.name === "SCI");
    const chip = (h: Header): ChipInput => ({
      wcs: readWcs(alternateWcsHeader(h, "O")!),
      idc: idcFromHeader(h),
      parity,
    });
    // the reference chip is CCDCHIP 2 (stwcs's getNrefchip for ACS/WFC and WFC3/UVIS)
    const ref = chip(sci.find((h) => h.header.get("CCDCHIP") === 2)!.header);
    const frame = referenceFrame(ref, primary.getNumber("PA_V3"));
    assert.equal(sci.length, 2);
    for (const hdu of sci) {
      const expected = readWcs(alternateWcsHeader(hdu.header, "A")!);
      assert.match(String(hdu.header.get("WCSNAMEA")), /^IDC_/);
      const got = chipWcs(chip(hdu.header), ref, frame, hdu.header.getNumber("VAFACTOR"));
      assert.deepEqual(got.crpix, expected.crpix);
      got.crval.forEach((v, i) => {
        assert.ok(Math.abs(v - expected.crval[i]) < 1e-9, `CRVAL${i + 1} ${v} vs ${expected.crval[i]}`);
      });
      const scale = Math.hypot(expected.cd[0][0], expected.cd[1][0]);
      got.cd.flat().forEach((v, i) => {
        const e = expected.cd.flat()[i];
        assert.ok(Math.abs(v - e) / scale < 1e-8, `CD element ${i}: ${v} vs ${e}`);
      });
    }
    file.close();
  });
}

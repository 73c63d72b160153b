/**
 * AstroDrizzle's default output frame against stwcs's output_wcs rebuilt on astropy.wcs (calc_footprint with
 * every distortion, s2p; test/peers/output_frame_oracle.py) on real HST files: CRVAL to 1e-9°, CRPIX and the
 * size exactly; with the reference orientation and IDCSCALE by default and with final_rot / final_scale.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile } from "../../src/fits/index.js";
import { type FrameChip, orientationOf, outputFrame, readHduWcs, squareCd } from "../../src/wcs/index.js";
import { HST_DATA, PYTHON, REPO } from "../helpers/paths.js";

const HRC = "/usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits";

function chips(paths: string[]): FrameChip[] {
  return paths.flatMap((path) => {
    const file = FitsFile.open(path);
    try {
      return file.hdus
        .filter((h) => h.name === "SCI")
        .map((h) => ({
          wcs: readHduWcs(file, h),
          width: h.header.getInt("NAXIS1"),
          height: h.header.getInt("NAXIS2"),
          idcscale: h.header.get("IDCSCALE") as number | undefined,
          name: path,
        }));
    } finally {
      file.close();
    }
  });
}

function oracle(scale: number, orientation: number, paths: string[]) {
  const script = join(REPO, "test", "peers", "output_frame_oracle.py");
  const out = execFileSync(PYTHON, [script, String(scale), String(orientation), ...paths], { encoding: "utf8" });
  return JSON.parse(out) as { crval: [number, number]; crpix: [number, number]; naxis: [number, number] };
}

const cases: [string, string[], { rotation?: number; scale?: number }][] = [
  ["ACS/HRC flt (skewed TAN)", [HRC], {}],
  ["ACS/HRC flt, final_rot 0, final_scale 0.05", [HRC], { rotation: 0, scale: 0.05 }],
  ["WFC3 IR flt with SIP", [join(HST_DATA, "sample_ipppssoot_flt.fits")], {}],
  ["WFC3 UVIS flc, two chips with SIP", [join(HST_DATA, "sample_ipppssoot_flc.fits")], { rotation: 30 }],
  [
    "flt and flc together",
    [join(HST_DATA, "sample_ipppssoot_flt.fits"), join(HST_DATA, "sample_ipppssoot_flc.fits")],
    {},
  ],
];

for (const [name, paths, options] of cases) {
  test(`output frame equals stwcs's output_wcs: ${name}`, () => {
    const frame = outputFrame(chips(paths), options);
    const c = oracle(frame.scale, frame.orientation, paths);
    assert.deepEqual([frame.width, frame.height], c.naxis);
    assert.deepEqual(frame.wcs.crpix, c.crpix);
    assert.ok(Math.abs(frame.wcs.crval[0] - c.crval[0]) < 1e-9, `${frame.wcs.crval} vs ${c.crval}`);
    assert.ok(Math.abs(frame.wcs.crval[1] - c.crval[1]) < 1e-9, `${frame.wcs.crval} vs ${c.crval}`);
    if (options.rotation !== undefined) assert.ok(Math.abs(frame.orientation - options.rotation) < 1e-12);
    if (options.scale !== undefined) assert.equal(frame.scale, options.scale);
  });
}

test("the default orientation is the reference chip's ORIENTAT, the scale its IDCSCALE", () => {
  const [chip] = chips([join(HST_DATA, "sample_ipppssoot_flt.fits")]);
  const frame = outputFrame([chip]);
  assert.ok(Math.abs(frame.orientation - orientationOf(chip.wcs.cd)) < 1e-12);
  assert.equal(frame.scale, chip.idcscale);
  const cd = squareCd(0.05, 123.4);
  assert.ok(Math.abs(orientationOf(cd) - 123.4) < 1e-9);
  assert.ok(cd[0][0] * cd[1][1] - cd[0][1] * cd[1][0] < 0, "RA increases to the left");
});

test("a footprint across RA 0 gets a CRVAL beside it, not on the far side of the sky", () => {
  const wcs = { ...chips([HRC])[0].wcs, crval: [0.001, -30] as [number, number] };
  const frame = outputFrame([{ wcs, width: 1024, height: 1024 }]);
  assert.ok(frame.wcs.crval[0] < 0.02 || frame.wcs.crval[0] > 359.98, `CRVAL1 ${frame.wcs.crval[0]}`);
  assert.ok(frame.width < 1200 && frame.height < 1200, `${frame.width}×${frame.height}`);
});

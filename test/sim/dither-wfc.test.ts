// The full-frame ACS/WFC dither as `caldp sim --dither` writes it (2 exposures here; the benchmark uses 4): the
// association, flts of two 4096×2048 chips with the pipeline WCS only and the IDCTAB/D2IMFILE/NPOLFILE they
// name, and the truth: after updatewcs (as stage 2 runs it) every star of the catalogue is found, by centroid, where
// the updated WCS puts its RA/Dec, on both chips of both exposures (median error < 0.01 px).
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { updateWcsFile } from "../../src/engine/updatewcs-file.js";
import { FitsFile } from "../../src/fits/index.js";
import { hasDistortion, readHduWcs, skyToPix } from "../../src/wcs/index.js";
import { runCliAsync } from "../helpers/cli-async.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-sim-wfc-dither-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, "wfc");
const roots = ["j8zz02a1q", "j8zz02a2q"];

/** Flux-weighted centroid (1-based) within 5 px of (x0, y0), background the median of the 10–15 px annulus. */
function centroid(data: Float32Array, width: number, x0: number, y0: number): [number, number] {
  const value = (i: number, j: number) => data[(j - 1) * width + (i - 1)];
  const ring: number[] = [];
  for (let j = Math.round(y0) - 15; j <= Math.round(y0) + 15; j++)
    for (let i = Math.round(x0) - 15; i <= Math.round(x0) + 15; i++) {
      const r2 = (i - x0) ** 2 + (j - y0) ** 2;
      if (r2 >= 100 && r2 <= 225) ring.push(value(i, j));
    }
  const background = ring.sort((a, b) => a - b)[ring.length >> 1];
  let [x, y] = [x0, y0];
  for (let iteration = 0; iteration < 5; iteration++) {
    let [sx, sy, sum] = [0, 0, 0];
    for (let j = Math.floor(y) - 6; j <= Math.ceil(y) + 6; j++)
      for (let i = Math.floor(x) - 6; i <= Math.ceil(x) + 6; i++) {
        if ((i - x) ** 2 + (j - y) ** 2 > 25) continue;
        const v = value(i, j) - background;
        [sx, sy, sum] = [sx + v * i, sy + v * j, sum + v];
      }
    [x, y] = [sx / sum, sy / sum];
  }
  return [x, y];
}

test("caldp sim --dither (WFC): association, flts without distortion WCS, stars where the updated WCS puts them", async () => {
  const run = await runCliAsync("caldp", ["sim", "j8zz02010", "--dither", "--exposures", "2", "--out", out]);
  assert.equal(run.status, 0, run.stderr);
  for (const r of roots) assert.match(run.stdout, new RegExp(`flt: .*${r}_flt\\.fits`));
  const asn = FitsFile.open(join(out, "j8zz02010_asn.fits"));
  const table = asn.readTable("ASN");
  asn.close();
  const column = (name: string) => (table.columns.find((c) => c.name === name)!.data as string[]).map((v) => v.trim());
  assert.deepEqual(column("MEMTYPE"), ["EXP-DTH", "EXP-DTH", "PROD-DTH"]);
  assert.deepEqual(column("MEMNAME"), ["J8ZZ02A1Q", "J8ZZ02A2Q", "J8ZZ02011"]);

  const truth = FitsFile.open(join(out, "truth", "j8zz02010_stars.fits"));
  const catalogue = truth.readTable("STARS");
  truth.close();
  const of = (name: string) => catalogue.columns.find((c) => c.name === name)!.data as Float64Array;
  const stars = { RA: of("RA"), DEC: of("DEC") };
  assert.equal(stars.RA.length, 100);
  for (const root of roots) {
    const flt = join(out, `${root}_flt.fits`);
    const file = FitsFile.open(flt);
    const primary = file.hdus[0].header;
    for (const k of ["IDCTAB", "D2IMFILE", "NPOLFILE"]) {
      const name = String(primary.get(k));
      assert.match(name, /^jref\$\w+_(idc|d2i|npl)\.fits$/);
      assert.ok(existsSync(join(out, "jref", name.slice(5))), name);
    }
    assert.equal(primary.get("DRIZCORR"), "PERFORM");
    const scis = file.hdus.filter((h) => h.name === "SCI");
    assert.deepEqual(
      scis.map((h) => [h.header.get("NAXIS1"), h.header.get("NAXIS2"), h.header.get("CCDCHIP"), h.header.get("BUNIT")]),
      [
        [4096, 2048, 2, "ELECTRONS"],
        [4096, 2048, 1, "ELECTRONS"],
      ],
    );
    assert.ok(
      scis.every((h) => !hasDistortion(readHduWcs(file, h))),
      "the pipeline WCS only, before updatewcs",
    );
    file.close();

    const updated = updateWcsFile(flt, join(dir, `${root}_flt.fits`), { jref: `${join(out, "jref")}/` });
    const u = FitsFile.open(updated);
    const found: [number, number, number][] = [];
    for (const hdu of u.hdus.filter((h) => h.name === "SCI")) {
      const wcs = readHduWcs(u, hdu);
      const data = u.readImage(hdu).data as Float32Array;
      for (let s = 0; s < stars.RA.length; s++) {
        const [x, y] = skyToPix(wcs, stars.RA[s], stars.DEC[s]);
        if (x < 30 || y < 30 || x > 4096 - 30 || y > 2048 - 30) continue;
        const [cx, cy] = centroid(data, 4096, x, y);
        found.push([s, cx - x, cy - y]);
      }
    }
    u.close();
    // a cosmic ray on a star's core moves its centroid: the median and the bulk, not every star
    const errors = found.map(([, dx, dy]) => Math.hypot(dx, dy)).sort((a, b) => a - b);
    assert.ok(found.length >= 95, `${root}: ${found.length} stars on the chips`);
    assert.ok(errors[errors.length >> 1] < 0.01, `${root}: median centroid error ${errors[errors.length >> 1]} px`);
    assert.ok(errors[Math.floor(0.9 * errors.length)] < 0.03, `${root}: 90th percentile ${errors.at(-10)} px`);
  }
});

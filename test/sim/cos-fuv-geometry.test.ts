// The COS FUV simulation with distortion and bursts: GEOFILE and DGEOFILE as calcos reads them (astropy sees
// (FUVA,1) = X and (FUVA,2) = Y and the same for FUVB, ORIGIN_X/Y and XBIN/YBIN), the BRSTTAB's float32 columns,
// calcos' FILETYPEs, and the raws' switches: RANDCORR with a RANDSEED, GEOCORR, DGEOCORR, BRSTCORR; IGEOCORR
// on segment A only. fitsverify finds nothing wrong with the new references.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { simulateCosFuv } from "../../src/sim/cos-fuv.js";
import { DGEO_GRID, GEO_GRID } from "../../src/sim/cos-fuv-geo.js";
import { type AstropyHdu, astropyDump, fitsverify } from "../helpers/astropy.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-sim-cosfuv-geo-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const sim = simulateCosFuv({
  dataset: "lsim09fuq",
  out: scratch,
  seed: 2,
  sourceRate: 20,
  backgroundRate: 5,
  darkRate: 1,
  geometry: true,
  bursts: true,
});

const card = (hdu: AstropyHdu, k: string) => {
  const v = hdu.cards.find((c) => c[0] === k)?.[1];
  return typeof v === "object" && v !== null && "int" in v ? Number(v.int) : v;
};

test("GEOFILE and DGEOFILE: an X and a Y image per segment, placed and binned as their keywords say", () => {
  for (const [key, grid, filetype] of [
    ["GEOFILE", GEO_GRID, "GEOMETRIC DISTORTION REFERENCE IMAGE"],
    ["DGEOFILE", DGEO_GRID, "DELTA GEOMETRIC CORRECTION REFERENCE IMAGE"],
  ] as const) {
    const path = sim.references[key];
    const hdus = astropyDump([path])[path];
    assert.equal(card(hdus[0], "FILETYPE"), filetype);
    assert.deepEqual(
      hdus.slice(1).map((h) => [h.name, h.ver]),
      [
        ["FUVA", 1],
        ["FUVA", 2],
        ["FUVB", 1],
        ["FUVB", 2],
      ],
    );
    for (const h of hdus.slice(1)) {
      assert.deepEqual(h.dims, [grid.nx, grid.ny], `${key} ${h.name},${h.ver}: NAXIS1, NAXIS2`);
      const keys = ["ORIGIN_X", "ORIGIN_Y", "XBIN", "YBIN"].map((k) => card(h, k));
      assert.deepEqual(keys, [grid.originX, grid.originY, grid.xbin, grid.ybin]);
    }
    assert.equal(fitsverify(path).errors, 0);
  }
});

test("BRSTTAB: one row per segment, its real columns float32, MAX_ITER an integer", () => {
  const path = sim.references.BRSTTAB;
  const [primary, table] = astropyDump([path])[path];
  assert.equal(card(primary, "FILETYPE"), "BURST PARAMETERS TABLE");
  assert.equal(card(table, "NAXIS2"), 2);
  const forms = Object.fromEntries(
    table.cards.filter((c) => c[0].startsWith("TTYPE")).map((c) => [c[1], card(table, `TFORM${c[0].slice(5)}`)]),
  );
  assert.deepEqual([forms.DELTA_T, forms.MEDIAN_N, forms.MAX_ITER, forms.SEGMENT], ["1E", "1E", "1J", "4A"]);
  assert.equal(fitsverify(path).errors, 0);
});

test("the raws ask for RANDCORR (seeded), GEOCORR, DGEOCORR and BRSTCORR; IGEOCORR on segment A only", () => {
  const dumps = astropyDump([sim.rawtags.FUVA, sim.rawtags.FUVB]);
  for (const [segment, igeocorr] of [
    ["FUVA", "PERFORM"],
    ["FUVB", "OMIT"],
  ] as const) {
    const primary = dumps[sim.rawtags[segment]][0];
    for (const k of ["RANDCORR", "GEOCORR", "DGEOCORR", "BRSTCORR"]) assert.equal(card(primary, k), "PERFORM", k);
    assert.equal(card(primary, "IGEOCORR"), igeocorr);
    assert.equal(card(primary, "RANDSEED"), 1234567);
    assert.match(String(card(primary, "GEOFILE")), /^lref\$\w+_geo\.fits$/);
    assert.match(String(card(primary, "BRSTTAB")), /^lref\$\w+_brst\.fits$/);
  }
});

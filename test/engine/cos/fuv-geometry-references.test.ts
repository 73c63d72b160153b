// The FUV references of GEOCORR and BRSTCORR when they are broken: each error names the file, the extension or
// table and the keys (a GEOFILE whose X and Y images disagree, a BRSTTAB or XTRACTAB without the exposure's row).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { initialCorrtag } from "../../../src/calib/cos/events.js";
import { fuvBrstcorr, loadBurstParameters } from "../../../src/engine/cos/fuv-burst.js";
import { loadGeoImages } from "../../../src/engine/cos/fuv-geocorr.js";
import { FitsWriter, Header } from "../../../src/fits/index.js";
import { writeBrsttab } from "../../../src/sim/cos-fuv-bursts.js";
import { writeFuvSpectroTables } from "../../../src/sim/cos-fuv-spectro.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-fuv-geometry-refs-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function geofile(name: string, images: { segment: string; extver: number; keys?: Record<string, number> }[]) {
  const writer = new FitsWriter(join(dir, name));
  writer.writeImage(new Header().set("FILETYPE", "GEOMETRIC DISTORTION REFERENCE IMAGE"));
  for (const { segment, extver, keys } of images) {
    const h = new Header().set("EXTNAME", segment).set("EXTVER", extver);
    for (const [k, v] of Object.entries(keys ?? {})) h.set(k, v);
    writer.writeImage(h, new Float32Array(8 * 4).fill(extver), [8, 4]);
  }
  writer.close();
  return join(dir, name);
}

test("a GEOFILE's images for the segment: X = EXTVER 1, Y = EXTVER 2, with their origin and binning", () => {
  const keys = { ORIGIN_X: 100, ORIGIN_Y: 50, XBIN: 16, YBIN: 4 };
  const path = geofile("good_geo.fits", [
    { segment: "FUVA", extver: 1 },
    { segment: "FUVB", extver: 1, keys },
    { segment: "FUVB", extver: 2, keys },
  ]);
  const geo = loadGeoImages(path, "GEOFILE", "FUVB");
  assert.deepEqual([geo.nx, geo.ny, geo.originX, geo.originY, geo.xbin, geo.ybin], [8, 4, 100, 50, 16, 4]);
  assert.deepEqual([geo.x[0], geo.y[0]], [1, 2]);
  assert.throws(() => loadGeoImages(path, "GEOFILE", "FUVA"), /GEOFILE good_geo\.fits: has no extension \(FUVA,2\)/);
});

test("a GEOFILE whose X and Y images have different origins is refused by name", () => {
  const path = geofile("skewed_geo.fits", [
    { segment: "FUVA", extver: 1, keys: { ORIGIN_X: 0 } },
    { segment: "FUVA", extver: 2, keys: { ORIGIN_X: 8 } },
  ]);
  assert.throws(
    () => loadGeoImages(path, "DGEOFILE", "FUVA"),
    /DGEOFILE skewed_geo\.fits\[FUVA\]: inconsistent ORIGIN_X\/_Y or XBIN\/YBIN/,
  );
});

test("a BRSTTAB without the segment's row, and an XTRACTAB without the exposure's: the table and the keys", () => {
  const brsttab = join(dir, "brst.fits");
  writeBrsttab(brsttab, new Header(), new Header().set("EXTNAME", "BRSTTAB"));
  assert.equal(loadBurstParameters(brsttab, "FUVA").single, true);
  assert.throws(() => loadBurstParameters(brsttab, "NUV"), /BRSTTAB brst\.fits\[1\]: no row for SEGMENT='NUV'/);
  writeFuvSpectroTables(dir, { XTRACTAB: "x1d.fits", DISPTAB: "disp.fits" }, () => new Header());
  const primary = new Header()
    .set("BRSTCORR", "PERFORM")
    .set("BRSTTAB", "lref$brst.fits")
    .set("XTRACTAB", "lref$x1d.fits")
    .set("OPT_ELEM", "G130M")
    .set("CENWAVE", 1309)
    .set("APERTURE", "PSA");
  const raw = { time: new Float32Array(8), rawx: new Int16Array(8), rawy: new Int16Array(8) };
  const events = initialCorrtag(raw, "FUV", "t");
  const area = { low: 380, high: 680, left: 1200, right: 15100 };
  assert.throws(
    () => fuvBrstcorr(events, primary, { lref: `${dir}/` }, "FUVA", area, 100),
    /XTRACTAB x1d\.fits\[1\]: no row for SEGMENT='FUVA', OPT_ELEM='G130M', CENWAVE=1309, APERTURE='PSA'/,
  );
});

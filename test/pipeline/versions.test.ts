import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile, FitsWriter, Header } from "../../src/fits/index.js";
import { trackVersions } from "../../src/pipeline/versions.js";

test("version keywords go into the primary header only, UNDEFINED when unset; data is kept", () => {
  const path = join(mkdtempSync(join(tmpdir(), "caldp-ver-")), "j8cb01u2q_raw.fits");
  const w = new FitsWriter(path);
  w.writeImage(new Header().set("INSTRUME", "ACS"));
  w.writeImage(new Header().set("EXTNAME", "SCI"), new Uint16Array([1, 2, 3, 4, 5, 6]), [3, 2]);
  w.close();
  trackVersions([path], { CSYS_VER: "hstdp-2025.2", AWSDPVER: "v0.2.28" });
  const f = FitsFile.open(path);
  const primary = f.hdus[0].header;
  assert.equal(primary.get("CSYS_VER"), "hstdp-2025.2");
  assert.equal(primary.get("AWSDPVER"), "v0.2.28");
  assert.equal(primary.get("AWSYSVER"), "UNDEFINED");
  assert.equal(primary.get("INSTRUME"), "ACS");
  assert.equal(f.hdus[1].header.has("CSYS_VER"), false);
  assert.deepEqual([...f.readImage(1).data], [1, 2, 3, 4, 5, 6]);
  f.close();
});

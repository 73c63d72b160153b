/**
 * A single SBC exposure through the command lines: `caldp sim --detector SBC` writes one raw (RPTCORR
 * OMIT, NRPTEXP 1), `caldp calacs` makes its `_flt` (no `_sfl`), and a raw without GLOBRATE fails with
 * a one-line error naming the keyword.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { runCliAsync } from "../helpers/cli-async.js";

const out = mkdtempSync(join(tmpdir(), "calacs-sbc-single-"));
after(() => rmSync(out, { recursive: true, force: true }));

test("caldp sim --detector SBC and caldp calacs on one exposure", async () => {
  const sim = await runCliAsync("caldp", ["sim", "j9sb03xyq", "--detector", "SBC", "--out", out, "--seed", "7"]);
  assert.equal(sim.status, 0, sim.stderr);
  assert.match(sim.stdout, /^ACS\/SBC j9sb03xyq/);
  const raw = join(out, "j9sb03xyq_raw.fits");
  const jref = `${join(out, "crds", "references", "hst")}/`;
  const r = await runCliAsync("caldp", ["calacs", raw], { env: { jref } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(
    readdirSync(out).filter((n) => /_(flt|sfl)\.fits$/.test(n)),
    ["j9sb03xyq_flt.fits"],
  );
  const flt = FitsFile.open(join(out, "j9sb03xyq_flt.fits"));
  try {
    const primary = flt.hdus[0].header;
    assert.deepEqual(
      ["DQICORR", "GLINCORR", "LFLGCORR", "DARKCORR", "FLATCORR", "PHOTCORR", "RPTCORR"].map((k) => primary.get(k)),
      ["COMPLETE", "COMPLETE", "COMPLETE", "COMPLETE", "COMPLETE", "COMPLETE", "OMIT"],
    );
    assert.equal(primary.get("NRPTEXP"), 1);
    assert.equal(primary.get("FILENAME"), "j9sb03xyq_flt.fits");
    assert.deepEqual(flt.hdu("SCI", 1).axes, [1024, 1024]);
    assert.ok(flt.hdu("SCI", 1).header.getInt("NGOODPIX") > 1_000_000);
  } finally {
    flt.close();
  }

  rewriteHeaders(raw, (header) => {
    if (header.has("GLOBRATE")) header.delete("GLOBRATE");
  });
  const bad = await runCliAsync("caldp", ["calacs", raw], { env: { jref } });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /^caldp: j9sb03xyq_raw\.fits: GLOBRATE is missing from the SCI header\n$/);
  assert.ok(existsSync(join(out, "j9sb03xyq_flt.fits")));
});

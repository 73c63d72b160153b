// caldp-process on a CTE dataset made by `caldp sim --cte` (issue 16): the native engine returns _flc and _crc
// beside _flt and _crj, with their trailers, the messages listing them and previews of the _flc (CALDP previews
// acs crj/drc/drz/raw/flc/flt, not crc). To stay bounded the raws ask for 2 forward iterations and 2 parallel
// transfers (PCTENFOR/PCTENPAR overrides, as a user may set them) instead of the PCTETAB's 5 and 7.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { fitsverify } from "../helpers/astropy.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { slowTestSkip } from "../helpers/slow.js";

test("caldp-process returns _flc and _crc with _flt and _crj on a simulated ACS/WFC CTE association", {
  timeout: 2_400_000,
  skip: slowTestSkip(),
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-process-cte-"));
  try {
    const sim = await runCliAsync(
      "caldp",
      ["sim", "j8cb0c0b0", "--out", "in", "--detector", "WFC", "--cte", "--seed", "12"],
      {
        cwd: dir,
      },
    );
    assert.equal(sim.status, 0, sim.stderr);
    for (const raw of ["j8cb0ca1q_raw.fits", "j8cb0ca2q_raw.fits"]) {
      rewriteHeaders(join(dir, "in", raw), (h, hdu) => {
        if (hdu.index !== 0) return;
        h.set("PCTENFOR", 2);
        h.set("PCTENPAR", 2);
      });
    }
    const config = join(dir, "sim.cfg");
    writeFileSync(config, `CRDS_PATH=${join(dir, "in", "crds")}\nCRDS_READONLY_CACHE=1\n`);
    const r = await runCliAsync("caldp-process", ["j8cb0c0b0", "file:in", "file:out", config], { cwd: dir });
    assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);
    const out = join(dir, "out", "j8cb0c0b0");
    const names = readdirSync(out);
    const products = ["j8cb0ca1q_flc.fits", "j8cb0ca2q_flc.fits", "j8cb0c0b1_crc.fits"];
    for (const name of [...products, "j8cb0ca1q_flt.fits", "j8cb0ca2q_flt.fits", "j8cb0c0b1_crj.fits"]) {
      assert.ok(names.includes(name), `${name} in ${names.join(" ")}`);
    }
    const message = readFileSync(join(dir, "messages", "processed-j8cb0c0b0.trigger"), "utf8").split("\n");
    for (const name of products) assert.ok(message.includes(`j8cb0c0b0/${name}`), `the message lists ${name}`);
    for (const preview of ["j8cb0ca1q_flc.jpg", "j8cb0ca1q_flc_thumb.jpg", "j8cb0ca2q_flc.jpg"]) {
      assert.ok(existsSync(join(out, "previews", preview)), preview);
      assert.ok(message.includes(`j8cb0c0b0/previews/${preview}`), `the message lists ${preview}`);
    }
    for (const name of products) {
      assert.equal(fitsverify(join(out, name)).errors, 0, name);
      const primary = FitsFile.open(join(out, name)).hdus[0].header;
      assert.equal(primary.get("PCTECORR"), "COMPLETE", name);
      assert.equal(primary.get("CTE_NAME"), "Par/Serial PixelCTE 2023", name);
      assert.equal(primary.get("DARKCORR"), "COMPLETE", name);
      const history = primary.cards.filter((c) => c.keyword === "HISTORY").map((c) => c.comment);
      // The raw has the keyword: calacs.e updates it rather than writing the value into HISTORY.
      assert.equal(primary.get("PCTENPAR"), 2, `${name}: the override`);
      assert.ok(
        history.some((l) => /reference image jref\$\w+_dkc\.fits/.test(l)),
        `${name}: DRKCFILE is the dark`,
      );
    }
    assert.match(readFileSync(join(out, "j8cb0ca1q.tra"), "utf8"), /PCTECORR {4}COMPLETE/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

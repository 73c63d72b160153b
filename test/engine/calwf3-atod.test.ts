/**
 * calwf3 ATODCORR on a simulated UVIS exposure: an ATODTAB written with astropy (two rows for the readout,
 * REF_KEY EXPTIME picks the nearer one, NELEM below the brightest raw values); with the later steps OMIT the
 * `_flt` SCI must equal numpy's lookup of the raw DN in that row everywhere, pixels at or past NELEM take the
 * last value and SATPIXEL, and the header says ATODCORR = COMPLETE with the table in HISTORY.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { calwf3 } from "../../src/engine/wfc3/calwf3.js";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { PYTHON } from "../helpers/paths.js";

const out = mkdtempSync(join(tmpdir(), "calwf3-atod-"));
after(() => rmSync(out, { recursive: true, force: true }));

const NELEM = 30000;

const PEER = `
import sys, json
import numpy as np
from astropy.io import fits
mode, nelem = sys.argv[1], int(sys.argv[2])
def table(gain_scale, offset):
    return (np.arange(nelem + 5, dtype=np.float64) * gain_scale + offset).astype(np.float32)
rows = [(100.0, table(2.0, 0.0)), (390.0, table(1.25, 0.5))]
if mode == "write":
    cols = [
        fits.Column(name="CCDAMP", format="A8", array=["ABCD", "ABCD"]),
        fits.Column(name="CCDGAIN", format="E", array=[1.5, 1.5]),
        fits.Column(name="REF_KEY", format="A8", array=["EXPTIME", "EXPTIME"]),
        fits.Column(name="REF_KEY_VALUE", format="D", array=[r[0] for r in rows]),
        fits.Column(name="NELEM", format="J", array=[nelem, nelem]),
        fits.Column(name="ATOD", format=f"{nelem + 5}E", array=np.stack([r[1] for r in rows])),
    ]
    primary = fits.PrimaryHDU()
    primary.header["FILETYPE"] = "ANALOG-TO-DIGITAL"
    primary.header["PEDIGREE"] = "MODEL"
    primary.header["DESCRIP"] = "test A-to-D table"
    fits.HDUList([primary, fits.BinTableHDU.from_columns(cols)]).writeto(sys.argv[3], overwrite=True)
else:
    atod = rows[1][1][:nelem]
    report = {}
    with fits.open(sys.argv[3]) as raw, fits.open(sys.argv[4]) as flt:
        for ver in (1, 2):
            dn = raw["SCI", ver].data.astype(np.int64)
            sci = flt["SCI", ver].data
            dq = flt["DQ", ver].data
            past = dn >= nelem
            want = np.where(past, atod[-1], atod[np.clip(dn, 0, nelem - 1)]).astype(np.float32)
            report[ver] = {
                "mismatches": int(np.count_nonzero(sci != want)),
                "past": int(np.count_nonzero(past)),
                "past_flagged": int(np.count_nonzero(past & ((dq & 256) != 0))),
            }
    print(json.dumps(report))
`;

const peer = (...args: string[]) => execFileSync(PYTHON, ["-c", PEER, ...args], { encoding: "utf8" });

test("calwf3 UVIS ATODCORR: the _flt is numpy's lookup of the raw DN in the nearer ATODTAB row", async () => {
  const sim = simulateDataset({ dataset: "iabc09xyq", out, detector: "UVIS", seed: 8 });
  const raw = sim.exposures[0].raw;
  const atodtab = join(sim.referenceDir, "test_a2d.fits");
  peer("write", String(NELEM), atodtab);
  rewriteHeaders(raw, (h, hdu) => {
    if (hdu.index !== 0) return;
    h.set("ATODCORR", "PERFORM");
    h.set("ATODTAB", "iref$test_a2d.fits");
    for (const sw of ["BLEVCORR", "BIASCORR", "DARKCORR", "FLATCORR", "SHADCORR", "PHOTCORR", "FLUXCORR", "CRCORR"]) {
      h.set(sw, "OMIT");
    }
  });
  const result = await calwf3([raw], { dir: out, env: { iref: `${sim.referenceDir}/` }, log: () => {} });
  const flt = join(out, result.outputs[0]);
  const file = FitsFile.open(flt);
  const primary = file.hdus[0].header;
  file.close();
  assert.equal(primary.get("ATODCORR"), "COMPLETE");
  const history = primary.cards.filter((c) => c.keyword === "HISTORY").map((c) => String(c.value ?? c.comment));
  const at = history.indexOf("ATODCORR complete ...");
  assert.ok(at > history.indexOf("DQICORR complete ..."), "ATODCORR after DQICORR in HISTORY");
  assert.equal(history[at + 1], "  reference table iref$test_a2d.fits");

  const report = JSON.parse(peer("check", String(NELEM), raw, flt)) as Record<
    string,
    { mismatches: number; past: number; past_flagged: number }
  >;
  for (const ver of ["1", "2"]) {
    const r = report[ver];
    assert.equal(r.mismatches, 0, `imset ${ver}: SCI = ATOD[raw] everywhere`);
    assert.ok(r.past > 0, `imset ${ver}: some raw values reach NELEM`);
    assert.equal(r.past_flagged, r.past, `imset ${ver}: every one of them SATPIXEL`);
  }
});

/**
 * calacs on simulated ACS/SBC (MAMA) data, checked against the simulator's truth and numpy:
 * - each `_flt`: over pixels without SDQFLAGS bits, r = (SCI − truth·EXPTIME)/ERR has mean 0 ± 0.05 and
 *   rms 1 ± 0.05 (ERR = sqrt of the observed counts biases the mean by about −1/(2√N) = −0.025 at the
 *   400-count sky: the statistic is that of the Poisson regime), and Σ SCI / Σ truth·EXPTIME = 1 ± 0.002,
 *   which the 2 % global dead time would miss without GLINCORR;
 * - the `_sfl` is the float32 sum of the flts exactly (numpy as the oracle), ERR the quadrature sum,
 *   DQ the OR; its keywords (RPTCORR, EXPTIME, NCOMBINE, ROOTNAME, ASN_MTYP) and the NRPTEXP warning;
 * - switches, PHOTMODE, GLOBLIM, MEANDARK 0 (calacs.e subtracts no SBC dark) and the flags LFLGCORR sets
 *   around the brightest stars;
 * - caldp-process on the simulated dataset exits 0 with flts, the sfl and the previews CALDP makes (flt, raw).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { calacs } from "../../src/engine/acs/calacs.js";
import { FitsFile, rewriteHeaders, verifyFile } from "../../src/fits/index.js";
import { SBC_EXPTIME } from "../../src/sim/acs-sbc.js";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { PYTHON } from "../helpers/paths.js";

const out = mkdtempSync(join(tmpdir(), "calacs-sbc-"));
after(() => rmSync(out, { recursive: true, force: true }));

const sim = simulateDataset({ dataset: "j9sb010a0", out, detector: "SBC", exposures: 2, seed: 5 });
const env = { jref: `${sim.referenceDir}/` };
const roots = sim.exposures.map((e) => e.rootname);

function truthRate(): Float32Array {
  const truth = FitsFile.open(sim.truth);
  try {
    return truth.readImage("SCI").data as Float32Array;
  } finally {
    truth.close();
  }
}

test("calacs SBC: flts recover the truth within ERR, and the sfl is their sum", async () => {
  const lines: string[] = [];
  const result = await calacs(["j9sb010a0_asn.fits"], { dir: out, env, log: (l) => lines.push(l) });
  assert.deepEqual(result.outputs, [...roots.map((r) => `${r}_flt.fits`), `${sim.product}_sfl.fits`]);
  assert.ok(!lines.some((l) => /NRPTEXP/.test(l)), "NRPTEXP = 2 matches: no warning");
  // GLINCORR and LFLGCORR are steps of the framework: a timed log line each, a trailer section each, and
  // MLINTAB named once, after LFLGCORR's line (hstcal's order).
  for (const step of ["DQICORR", "GLINCORR", "LFLGCORR", "DARKCORR"]) {
    const line = lines.find((l) => l.startsWith(`${step} COMPLETE ${roots[0]}_flt.fits imset 1 `)) ?? `no ${step}`;
    assert.match(line, /\(wall \d+\.\d{3} s, CPU \d+\.\d{3} s\)$/);
  }
  const flt = readFileSync(join(out, `${roots[0]}.tra`), "utf8").split("\n");
  const glin = flt.indexOf("GLINCORR    PERFORM");
  assert.deepEqual(flt.slice(glin, glin + 3), ["GLINCORR    PERFORM", "GLINCORR complete ...", "GLINCORR    COMPLETE"]);
  const lflg = flt.indexOf("LFLGCORR    PERFORM");
  assert.ok(lflg > glin && flt[lflg + 1] === "LFLGCORR complete ...", "LFLGCORR after GLINCORR");
  const mlintab = flt[lflg + 2] ?? "";
  assert.match(mlintab, /^ {2}reference table jref\$\S+_lin\.fits$/);
  assert.equal(flt.filter((l) => l === mlintab).length, 1, "MLINTAB named once");
  const rate = truthRate();
  for (const root of roots) {
    const file = FitsFile.open(join(out, `${root}_flt.fits`));
    try {
      const primary = file.hdus[0].header;
      for (const sw of ["DQICORR", "GLINCORR", "LFLGCORR", "DARKCORR", "FLATCORR", "PHOTCORR"])
        assert.equal(primary.get(sw), "COMPLETE", `${root} ${sw}`);
      for (const sw of ["RPTCORR", "BIASCORR", "BLEVCORR", "CRCORR"]) assert.notEqual(primary.get(sw), "COMPLETE", sw);
      const sci = file.hdu("SCI", 1).header;
      assert.equal(sci.get("BUNIT"), "ELECTRONS");
      assert.equal(sci.get("GLOBLIM"), "NOT-EXCEEDED");
      assert.match(String(sci.get("PHOTMODE")), /^ACS SBC F122M MJD#\d+\.\d{4}$/);
      assert.ok(Math.abs(sci.getNumber("PHOTFLAM") / 7.8e-20 - 1) < 1e-6, "PHOTFLAM from the IMPHTTAB row");
      // calacs.e reads DARKTIME for the CCDs only and scales the SBC dark by 0; kept for parity (sbc-2d.ts).
      assert.equal(sci.getNumber("MEANDARK"), 0);
      const data = file.readImage("SCI").data as Float32Array;
      const err = file.readImage("ERR").data as Float32Array;
      const dq = file.readImage("DQ").data as Int16Array;
      let n = 0;
      let sum = 0;
      let sum2 = 0;
      let measured = 0;
      let expected = 0;
      let flagged = 0;
      for (let k = 0; k < data.length; k++) {
        if (dq[k]! & 256) flagged++;
        if ((dq[k]! & 31743) !== 0) continue;
        const r = (data[k]! - rate[k]! * SBC_EXPTIME) / err[k]!;
        n++;
        sum += r;
        sum2 += r * r;
        measured += data[k]!;
        expected += rate[k]! * SBC_EXPTIME;
      }
      const mean = sum / n;
      const rms = Math.sqrt(sum2 / n - mean * mean);
      assert.ok(n > 0.95 * data.length, `good pixels ${n}`);
      assert.ok(Math.abs(mean) < 0.05, `${root} mean ${mean}`);
      assert.ok(Math.abs(rms - 1) < 0.05, `${root} rms ${rms}`);
      assert.ok(Math.abs(measured / expected - 1) < 0.002, `${root} flux ratio ${measured / expected}`);
      assert.ok(flagged > 9, `LFLGCORR flagged ${flagged} pixels`);
    } finally {
      file.close();
    }
  }

  const sfl = join(out, `${sim.product}_sfl.fits`);
  assert.deepEqual(
    verifyFile(sfl).filter((p) => p.severity === "error"),
    [],
  );
  const product = FitsFile.open(sfl);
  try {
    const h = product.hdus[0].header;
    assert.deepEqual(
      [h.get("RPTCORR"), h.get("EXPTIME"), h.get("NCOMBINE"), h.get("ROOTNAME"), h.get("ASN_MTYP"), h.get("NEXTEND")],
      ["COMPLETE", 2 * SBC_EXPTIME, 2, sim.product!.toUpperCase(), "PROD-RPT", 3],
    );
    assert.equal(h.get("FILENAME"), `${sim.product}_sfl.fits`);
    assert.ok(product.hdu("SCI", 1).header.getInt("NGOODPIX") > 0);
  } finally {
    product.close();
  }
  // numpy: SCI the float32 sum in member order, ERR sqrt of the float32 sum of squares, DQ the OR.
  const script = `
import sys, numpy as np
from astropy.io import fits
flts = [fits.open(p) for p in sys.argv[2:]]
s = fits.open(sys.argv[1])
sci = flts[0]['SCI'].data.astype(np.float32)
var = np.square(flts[0]['ERR'].data.astype(np.float32))
dq = flts[0]['DQ'].data.copy()
for f in flts[1:]:
    sci = sci + f['SCI'].data.astype(np.float32)
    var = var + np.square(f['ERR'].data.astype(np.float32))
    dq = dq | f['DQ'].data
err = np.sqrt(var).astype(np.float32)
print(int(np.count_nonzero(s['SCI'].data != sci)), float(np.max(np.abs(s['ERR'].data - err) / err)),
      int(np.count_nonzero(s['DQ'].data != dq)), int(np.count_nonzero(dq)))
`;
  const [sciDiff, errRel, dqDiff, dqSet] = execFileSync(
    PYTHON,
    ["-c", script, sfl, ...roots.map((r) => join(out, `${r}_flt.fits`))],
    { encoding: "utf8" },
  )
    .trim()
    .split(" ")
    .map(Number);
  assert.equal(sciDiff, 0, "SCI differs from numpy's sum");
  assert.ok(errRel! < 1e-6, `ERR relative difference ${errRel}`);
  assert.equal(dqDiff, 0);
  assert.ok(dqSet! > 0);
  const trailer = readFileSync(join(out, `${sim.product}.tra`), "utf8");
  assert.match(trailer, /RPTCORR complete/);
});

test("calacs SBC: NRPTEXP that disagrees with the members is a warning in the product's trailer", async () => {
  for (const root of roots)
    rewriteHeaders(join(out, `${root}_raw.fits`), (header) => {
      if (header.has("NRPTEXP")) header.set("NRPTEXP", 3);
    });
  const lines: string[] = [];
  await calacs(["j9sb010a0_asn.fits"], { dir: out, env, log: (l) => lines.push(l) });
  const warning = "2 exposures will be summed, however, NRPTEXP was 3.";
  assert.ok(
    lines.some((l) => l.includes(warning)),
    lines.join("\n"),
  );
  assert.match(readFileSync(join(out, `${sim.product}.tra`), "utf8"), new RegExp(warning.replace(/\./g, "\\.")));
});

test("caldp bestrefs on the simulated CRDS cache picks the SBC references and finds the CCD ones irrelevant", async () => {
  const raw = sim.exposures[0]!.raw;
  const r = await runCliAsync("caldp", ["bestrefs", "--files", raw, "--json"], { env: { CRDS_PATH: sim.crds.root } });
  assert.equal(r.status, 0, r.stderr);
  const refs = JSON.parse(r.stdout)[`${roots[0]}_raw.fits`] as Record<string, string>;
  const name = (keyword: string) => sim.references[keyword]!.split("/").pop();
  for (const keyword of ["DARKFILE", "PFLTFILE", "BPIXTAB", "IMPHTTAB", "MLINTAB"])
    assert.equal(refs[keyword.toLowerCase()], name(keyword), keyword);
  for (const filekind of ["biasfile", "ccdtab", "oscntab", "crrejtab", "satufile"])
    assert.equal(refs[filekind], "NOT FOUND n/a", filekind);
});

test("caldp-process on a simulated SBC RPT-OBS association: flts, sfl and previews, exit 0", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-sbc-"));
  try {
    const sbc = simulateDataset({ dataset: "j9sb020a0", out: join(dir, "in"), detector: "SBC", seed: 6 });
    const config = join(dir, "sim.cfg");
    writeFileSync(config, `CRDS_PATH=${sbc.crds.root}\nCRDS_READONLY_CACHE=1\n`);
    const r = await runCliAsync("caldp-process", ["j9sb020a0", "file:in", "file:out", config], { cwd: dir });
    assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);
    const products = join(dir, "out", "j9sb020a0");
    for (const name of ["j9sb02a1q_flt.fits", "j9sb02a2q_flt.fits", "j9sb020a1_sfl.fits", "j9sb020a1.tra"])
      assert.ok(existsSync(join(products, name)), name);
    // CALDP previews ACS crj/drc/drz/raw/flc/flt files, not sfl (src/previews/candidates.ts).
    for (const preview of ["j9sb02a1q_flt.jpg", "j9sb02a2q_flt_thumb.jpg", "j9sb02a1q_raw.jpg"])
      assert.ok(existsSync(join(products, "previews", preview)), preview);
    const message = readFileSync(join(dir, "messages", "processed-j9sb020a0.trigger"), "utf8").split("\n");
    assert.ok(message.includes("j9sb020a0/j9sb020a1_sfl.fits"), message.join(" "));
    const sfl = FitsFile.open(join(products, "j9sb020a1_sfl.fits"));
    try {
      assert.equal(sfl.hdus[0].header.get("CRDS_CTX"), sbc.crds.context);
      assert.equal(sfl.hdus[0].header.get("MLINTAB"), `jref$${sbc.references.MLINTAB!.split("/").pop()}`);
    } finally {
      sfl.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * caldp-process on a simulated STIS/CCD CR-SPLIT (o… dataset) with the native engine: best references from
 * the simulated CRDS cache, calstis into `_crj` and the CR-flagged `_flt`, valid FITS, and pixels that give
 * back the simulator's noiseless truth within their ERR; and on a simulated NUV-MAMA image (its MAMA
 * references chosen by bestrefs, the `_flt` within ERR of the truth).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile } from "../../../src/fits/index.js";
import { simulateDataset } from "../../../src/sim/index.js";
import { fitsverify } from "../../helpers/astropy.js";
import { runCliAsync } from "../../helpers/cli-async.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-stis-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Per image set, median and half the 16–84 % range of (SCI − truth × EXPTIME) / ERR over DQ = 0 pixels. */
function residuals(product: string, truthFile: string): { n: number; median: number; halfWidth: number }[] {
  const truth = FitsFile.open(truthFile);
  const expected = truth.readImage("SCI", { ver: 1 }).data as Float32Array;
  truth.close();
  const fits = FitsFile.open(product);
  try {
    return fits.hdus
      .filter((h) => h.name === "SCI")
      .map((hdu) => {
        const exptime = hdu.header.getNumber("EXPTIME");
        const sci = fits.readImage(hdu).data as Float32Array;
        const err = fits.readImage("ERR", { ver: hdu.ver }).data as Float32Array;
        const dq = fits.readImage("DQ", { ver: hdu.ver }).data as Int16Array;
        const r: number[] = [];
        for (let i = 0; i < sci.length; i++)
          if (dq[i] === 0 && err[i]! > 0) r.push((sci[i]! - expected[i]! * exptime) / err[i]!);
        r.sort((a, b) => a - b);
        const q = (p: number) => r[Math.floor(p * (r.length - 1))]!;
        return { n: r.length, median: q(0.5), halfWidth: (q(0.8413) - q(0.1587)) / 2 };
      });
  } finally {
    fits.close();
  }
}

test("caldp-process calibrates a simulated STIS/CCD CR-SPLIT with the native engine: _crj, _flt, truth within ERR", async () => {
  const sim = simulateDataset({ dataset: "o8ab05010", out: join(dir, "in"), exposures: 2, seed: 8 });
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const r = await runCliAsync("caldp-process", ["o8ab05010", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);
  const out = join(dir, "out", "o8ab05010");
  const names = readdirSync(out);
  for (const name of ["o8ab05010_crj.fits", "o8ab05010_flt.fits", "o8ab05010.tra"]) {
    assert.ok(names.includes(name), `${name} in ${names.join(" ")}`);
  }
  const message = readFileSync(join(dir, "messages", "processed-o8ab05010.trigger"), "utf8");
  assert.match(message, /o8ab05010\/o8ab05010_crj\.fits/);
  for (const name of ["o8ab05010_crj.fits", "o8ab05010_flt.fits"]) {
    const path = join(out, name);
    assert.equal(fitsverify(path).errors, 0, name);
    const primary = FitsFile.open(path).hdus[0].header;
    for (const sw of ["DQICORR", "BLEVCORR", "BIASCORR", "DARKCORR", "FLATCORR"]) {
      assert.equal(primary.get(sw), "COMPLETE", `${name} ${sw}`);
    }
    assert.match(String(primary.get("CAL_VER")), /^caldp .* \(native calstis\)$/);
    assert.equal(primary.get("CRDS_CTX"), sim.crds.context);
    // Gain 1 (DN = e⁻), dark and flat removed, sky added back: the residual is centred (median within 0.05)
    // and, in the _flt, a unit Gaussian (16–84 % half-width 1 ± 0.05). calstis2's ERR of the _crj adds
    // SCALENSE (30 %) of the signal in quadrature to read and Poisson noise, so there it is narrower.
    for (const s of residuals(path, sim.truth)) {
      const width = name.includes("crj") ? s.halfWidth > 0.7 && s.halfWidth < 0.95 : Math.abs(s.halfWidth - 1) < 0.05;
      assert.ok(s.n > 0.9 * 1024 * 1024, `${name}: ${s.n} good pixels`);
      assert.ok(Math.abs(s.median) < 0.05 && width, `${name}: median ${s.median}, half-width ${s.halfWidth}`);
    }
  }
});

test("caldp-process calibrates a simulated STIS NUV-MAMA image natively: bestrefs of the MAMA references, _flt", async () => {
  const sim = simulateDataset({ dataset: "o8ab0aabq", out: join(dir, "mama-in"), detector: "NUV-MAMA", seed: 9 });
  const config = join(dir, "mama.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const r = await runCliAsync("caldp-process", ["o8ab0aabq", "file:mama-in", "file:mama-out", config], { cwd: dir });
  assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);
  const path = join(dir, "mama-out", "o8ab0aabq", "o8ab0aabq_flt.fits");
  assert.equal(fitsverify(path).errors, 0);
  const primary = FitsFile.open(path).hdus[0].header;
  for (const sw of ["DQICORR", "GLINCORR", "LFLGCORR", "DARKCORR", "FLATCORR", "PHOTCORR"]) {
    assert.equal(primary.get(sw), "COMPLETE", sw);
  }
  // bestrefs chose the MAMA references from the simulated CRDS cache (CCD-only kinds are N/A).
  for (const keyword of ["MLINTAB", "TDCTAB", "LFLTFILE", "DARKFILE", "PFLTFILE"]) {
    assert.match(String(primary.get(keyword)), /^oref\$\w+_\w{3}\.fits$/, keyword);
  }
  assert.equal(String(primary.get("CCDTAB")).trim(), "N/A");
  // Photon counting: the residual is a unit Gaussian; its median sits slightly below 0 (about −1/(6√μ) for the
  // ~30-count sky, as ERR = √counts is smaller for low counts).
  const [s] = residuals(path, sim.truth);
  assert.ok(s!.n > 0.99 * 1024 * 1024, `${s!.n} good pixels`);
  assert.ok(s!.median < 0 && s!.median > -0.1 && Math.abs(s!.halfWidth - 1) < 0.05, JSON.stringify(s));
});

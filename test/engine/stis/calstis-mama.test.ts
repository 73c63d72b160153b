/**
 * Native calstis on simulated STIS MAMA images: the NUV-MAMA flt recovers the simulated scene within its ERR
 * (dead time, TDCTAB-scaled dark, PFLT × expanded LFLT undone), a global rate over the MLINTAB limit is
 * reported as cs1 does (GLOBLIM = EXCEEDED, no nonlinearity correction, a warning naming file and keyword),
 * and bad input (a CCD dark, a high-res image, a TDCTAB that starts after the exposure, a missing
 * TDCTAB) is one error naming file and keyword with the inputs untouched and nothing written. A REPEATOBS raw
 * (RPTCORR) gives the `_sfl`: the sum of its good image sets, within ERR of the truth.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { trueRateRatio } from "../../../src/calib/stis/mama.js";
import { calstis } from "../../../src/engine/stis/calstis.js";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { simulateDataset } from "../../../src/sim/index.js";
import { MAMA_EXPTIME } from "../../../src/sim/stis-mama.js";
import { writeStisMlintab } from "../../../src/sim/stis-mama-references.js";

const out = mkdtempSync(join(tmpdir(), "calstis-mama-"));
after(() => rmSync(out, { recursive: true, force: true }));

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const log = () => {};
const sim = simulateDataset({ dataset: "o8ab09abq", out: join(out, "sim"), detector: "NUV-MAMA", seed: 8 });
const raw = sim.exposures[0]!.raw;
const name = basename(raw);

/** A folder with the raw and a copy of the references (refs/), for runs that change one of them. */
function folder(label: string): string {
  const dir = join(out, label);
  mkdirSync(join(dir, "refs"), { recursive: true });
  copyFileSync(raw, join(dir, name));
  for (const f of readdirSync(sim.referenceDir)) copyFileSync(join(sim.referenceDir, f), join(dir, "refs", f));
  return dir;
}

const referencePath = (dir: string, keyword: string) => {
  const file = FitsFile.open(raw);
  try {
    return join(dir, "refs", String(file.hdus[0]!.header.get(keyword)).replace("oref$", ""));
  } finally {
    file.close();
  }
};

function readFlt(path: string) {
  const file = FitsFile.open(path);
  try {
    return {
      primary: file.hdus[0]!.header.clone(),
      sci: file.hdu("SCI", 1).header.clone(),
      data: file.readImage("SCI").data as Float32Array,
      err: file.readImage("ERR").data as Float32Array,
      dq: file.readImage("DQ").data as Int16Array,
    };
  } finally {
    file.close();
  }
}

test("NUV-MAMA: the flt equals the simulated scene × EXPTIME within ERR; switches, GLOBLIM, PHOTMODE as cs1", async () => {
  const dir = folder("truth");
  const result = await calstis([name], { dir, env: { oref: `${dir}/refs/` }, log });
  assert.deepEqual(result.outputs, ["o8ab09abq_flt.fits"]);
  const flt = readFlt(join(dir, "o8ab09abq_flt.fits"));
  for (const sw of ["DQICORR", "GLINCORR", "LFLGCORR", "DARKCORR", "FLATCORR", "PHOTCORR"])
    assert.equal(flt.primary.get(sw), "COMPLETE", sw);
  assert.equal(flt.sci.get("GLOBLIM"), "NOT-EXCEEDED");
  assert.match(String(flt.primary.get("PHOTMODE")), /^STIS 25MAMA MIRROR NUVMAMA MJD#\d+\.\d{4}$/);
  const truth = FitsFile.open(sim.truth);
  const rate = truth.readImage("SCI").data as Float32Array;
  truth.close();
  // With ERR = sqrt(counts) the residual of a Poisson count of mean μ is biased by about −1/(2√μ) (the sky
  // here is ~30 counts a pixel): the mean residual is compared with that bias, the flux sum is unbiased.
  let [n, sum, sum2, measured, expected, bias] = [0, 0, 0, 0, 0, 0];
  for (let k = 0; k < flt.data.length; k++) {
    if ((flt.dq[k]! & 31743) !== 0) continue;
    const r = (flt.data[k]! - rate[k]! * MAMA_EXPTIME) / flt.err[k]!;
    n++;
    sum += r;
    sum2 += r * r;
    measured += flt.data[k]!;
    expected += rate[k]! * MAMA_EXPTIME;
    bias -= 0.5 / Math.sqrt(rate[k]! * MAMA_EXPTIME);
  }
  const mean = sum / n;
  const rms = Math.sqrt(sum2 / n - mean * mean);
  assert.ok(n > 0.99 * flt.data.length, `good pixels ${n}`);
  assert.ok(Math.abs(mean - bias / n) < 0.03, `mean (flt − truth)/ERR ${mean}, Poisson bias ${bias / n}`);
  assert.ok(Math.abs(rms - 1) < 0.05, `rms (flt − truth)/ERR ${rms}`);
  assert.ok(Math.abs(measured / expected - 1) < 0.002, `flux ratio ${measured / expected}`);
});

test("a global count rate over the MLINTAB limit: GLOBLIM = EXCEEDED, no GLINCORR scaling, a warning naming it", async () => {
  const normal = readFlt(join(out, "truth", "o8ab09abq_flt.fits"));
  const dir = folder("globlim");
  const mlintab = referencePath(dir, "MLINTAB");
  rmSync(mlintab);
  writeStisMlintab(mlintab, [
    { DETECTOR: "NUV-MAMA", GLOBAL_LIMIT: 1000, LOCAL_LIMIT: 200, TAU: 2.8e-7, EXPAND: 2.5 },
    { DETECTOR: "FUV-MAMA", GLOBAL_LIMIT: 1000, LOCAL_LIMIT: 40, TAU: 1.9e-6, EXPAND: 2.5 },
  ]);
  const lines: string[] = [];
  await calstis([name], { dir, env: { oref: `${dir}/refs/` }, log: (l) => lines.push(l) });
  const flt = readFlt(join(dir, "o8ab09abq_flt.fits"));
  assert.equal(flt.sci.get("GLOBLIM"), "EXCEEDED");
  assert.equal(flt.primary.get("GLINCORR"), "COMPLETE", "cs1 marks it COMPLETE all the same");
  const globrate = flt.sci.getNumber("GLOBRATE");
  const warning = lines.find((l) => l.includes("GLOBLIM = EXCEEDED")) ?? "no warning";
  assert.match(warning, new RegExp(`^${name}: Warning .*exceeds the MLINTAB limit 1000`));
  assert.match(readFileSync(join(dir, "o8ab09abq.tra"), "utf8"), /GLOBLIM = EXCEEDED/);
  // The normal run scaled SCI by FindRate's true/observed ratio before the dark; at the brightest pixel the
  // dark is negligible and the two flts differ by that ratio.
  let bright = 0;
  for (let k = 0; k < flt.data.length; k++) if (flt.dq[k] === 0 && flt.data[k]! > flt.data[bright]!) bright = k;
  const ratio = normal.data[bright]! / flt.data[bright]!;
  const expected = trueRateRatio(globrate, 2.8e-7);
  assert.ok(expected > 1.01 && Math.abs(ratio / expected - 1) < 1e-4, `ratio ${ratio}, FindRate ${expected}`);
});

async function refused(dir: string, message: string, code: string): Promise<void> {
  const files = () =>
    readdirSync(dir)
      .filter((n) => n !== "refs")
      .map((n) => [n, sha(join(dir, n))]);
  const before = files();
  await assert.rejects(
    calstis([name], { dir, env: { oref: `${dir}/refs/` }, log }),
    (e: unknown) => e instanceof CalibrationError && e.code === code && e.message === message,
  );
  assert.deepEqual(files(), before, "inputs untouched, nothing written");
}

const setPrimary = (path: string, keyword: string, value: string | number) =>
  rewriteHeaders(path, (header, hdu) => {
    if (hdu.index === 0) header.set(keyword, value);
  });

test("bad input: a CCD dark, a high-res image, a TDCTAB after EXPSTART, a missing TDCTAB", async () => {
  const dir = folder("bad");
  const dark = referencePath(dir, "DARKFILE");
  const darkName = `oref$${basename(dark)}`;
  setPrimary(dark, "DETECTOR", "CCD");
  await refused(
    dir,
    `${name}: DARKFILE = '${darkName}': ${dark} is a STIS/CCD reference, not STIS/NUV-MAMA`,
    "INVALID_VALUE",
  );
  setPrimary(dark, "DETECTOR", "NUV-MAMA");

  rewriteHeaders(join(dir, name), (header, hdu) => {
    if (hdu.index === 1) header.set("LTM1_1", 2);
  });
  await refused(
    dir,
    `${name}: imset 1: a high-res MAMA image (LTM 2, 1) is not in the native engine yet`,
    "CAL_STEP_NOT_DONE",
  );
  copyFileSync(raw, join(dir, name));

  const tdctab = referencePath(dir, "TDCTAB");
  rewriteHeaders(tdctab, () => {});
  const table = FitsFile.open(tdctab);
  const date0 = Number(table.readTable(1).columns.find((c) => c.name === "DATE0")!.data[0]);
  table.close();
  setPrimary(join(dir, name), "TDCTAB", "N/A");
  await refused(dir, `${name}: TDCTAB is needed but the header says 'N/A'`, "CAL_FILE_MISSING");
  copyFileSync(raw, join(dir, name));
  rewriteHeaders(join(dir, name), (header, hdu) => {
    if (hdu.index === 1) header.set("EXPSTART", date0 - 1);
  });
  await refused(
    dir,
    `${name}: TDCTAB ${tdctab}: EXPSTART ${date0 - 1} precedes the earliest DATE0 (${date0})`,
    "TABLE_ROW_MISSING",
  );
});

test("REPEATOBS (RPTCORR, two image sets): the _sfl is their sum within ERR of the truth; a bad image set is left out", async () => {
  const rpt = simulateDataset({
    dataset: "o8ab0d010",
    out: join(out, "rpt"),
    detector: "NUV-MAMA",
    exposures: 2,
    seed: 11,
  });
  const dir = join(out, "rpt-run");
  mkdirSync(dir);
  copyFileSync(rpt.exposures[0]!.raw, join(dir, "o8ab0d010_raw.fits"));
  const result = await calstis(["o8ab0d010_raw.fits"], { dir, env: { oref: `${rpt.referenceDir}/` }, log });
  assert.deepEqual(result.outputs, ["o8ab0d010_flt.fits", "o8ab0d010_sfl.fits"]);
  const sfl = readFlt(join(dir, "o8ab0d010_sfl.fits"));
  assert.equal(sfl.primary.get("RPTCORR"), "COMPLETE");
  assert.equal(sfl.primary.getInt("NEXTEND"), 3);
  assert.equal(sfl.sci.getInt("NCOMBINE"), 2);
  assert.equal(sfl.sci.getNumber("EXPTIME"), 2 * MAMA_EXPTIME);
  const truth = FitsFile.open(rpt.truth);
  const rate = truth.readImage("SCI").data as Float32Array;
  truth.close();
  let [measured, expected, n, sum2] = [0, 0, 0, 0];
  for (let k = 0; k < sfl.data.length; k++) {
    if ((sfl.dq[k]! & 31743) !== 0) continue;
    const r = (sfl.data[k]! - rate[k]! * 2 * MAMA_EXPTIME) / sfl.err[k]!;
    measured += sfl.data[k]!;
    expected += rate[k]! * 2 * MAMA_EXPTIME;
    sum2 += r * r;
    n++;
  }
  assert.ok(Math.abs(measured / expected - 1) < 0.002, `flux ratio ${measured / expected}`);
  assert.ok(Math.abs(Math.sqrt(sum2 / n) - 1) < 0.05, `rms ${Math.sqrt(sum2 / n)}`);

  // Image set 2 with no exposure time: calstis1 writes it uncalibrated (IMSET_OK = F), calstis8 sums image set 1 alone.
  const flt = readFlt(join(dir, "o8ab0d010_flt.fits"));
  const zeroed = join(out, "rpt-zero");
  mkdirSync(zeroed);
  copyFileSync(rpt.exposures[0]!.raw, join(zeroed, "o8ab0d010_raw.fits"));
  rewriteHeaders(join(zeroed, "o8ab0d010_raw.fits"), (header, hdu) => {
    if (hdu.index === 4) header.set("EXPTIME", 0);
  });
  await calstis(["o8ab0d010_raw.fits"], { dir: zeroed, env: { oref: `${rpt.referenceDir}/` }, log });
  const one = readFlt(join(zeroed, "o8ab0d010_sfl.fits"));
  assert.equal(one.sci.getInt("NCOMBINE"), 1);
  assert.equal(one.sci.getNumber("EXPTIME"), MAMA_EXPTIME);
  assert.deepEqual(one.data, flt.data, "the sum of image set 1 alone is image set 1");
  assert.match(readFileSync(join(zeroed, "o8ab0d010.tra"), "utf8"), /Order 1 has 1 imset instead of 2/);
});

/**
 * calstis4 on a rectified first-order wavecal file: a G430L lamp image made from the simulator's LAMPTAB and
 * APDESTAB with known offsets (lines 1.7 columns right, bars 1.2 rows down, cosmic rays added) gets those
 * offsets as SHIFTA1/SHIFTA2 with the simulator's WCPTAB. Offline, on cs0.e 3.5.0's own o8ss01010_w2d_tmp.fits
 * (cs0.e -s), calstis4 writes SHIFTA1 1.682168681871 and SHIFTA2 -1.243828052045, as cs4 did; that file cannot
 * be made here until calstis7 is native.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { convolveWithSlit, lampTemplate } from "../../../src/calib/stis/wavecal-xcorr.js";
import { calstis4 } from "../../../src/engine/stis/calstis4.js";
import { calstis12 } from "../../../src/engine/stis/calstis12.js";
import { FitsFile, FitsWriter, Header, type HeaderValue, rewriteHeaders } from "../../../src/fits/index.js";
import { simulateStisLongSlitCase } from "../../parity/stis-longslit-case.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-calstis4-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir);
const reference = (suffix: string) => {
  const name = readdirSync(sim.referenceDir).find((f) => f.endsWith(suffix))!;
  return { name: `oref$${name}`, path: join(sim.referenceDir, name) };
};
const refs = { WCPTAB: reference("_wcp.fits"), LAMPTAB: reference("_lmp.fits"), APDESTAB: reference("_apd.fits") };

function table(ref: { path: string }) {
  const fits = FitsFile.open(ref.path);
  try {
    const t = fits.readTable(1);
    return (name: string) => t.columns.find((c) => c.name === name)!.data as ArrayLike<number>;
  } finally {
    fits.close();
  }
}

const n = 1024;
const wcs = { CRPIX1: 512.5, CRVAL1: 4300, CD1_1: 2.74597, CRPIX2: 512, CD2_2: 0.05078 / 3600 };

/** A rectified wavecal: lamp lines `s1` columns right of the LAMPTAB's places, bars `s2` rows from the APDESTAB's. */
function writeWavecal(name: string, s1: number, s2: number, primaryEdits: Record<string, HeaderValue> = {}) {
  const lamp = table(refs.LAMPTAB);
  const apd = table(refs.APDESTAB);
  const row = lampTemplate(
    { wavelength: lamp("WAVELENGTH"), flux: lamp("FLUX") },
    n,
    wcs.CRPIX1 - 1 + s1,
    wcs.CRVAL1,
    wcs.CD1_1,
  );
  convolveWithSlit(row, apd("WIDTH1")[0] / 0.05078);
  const scale = 0.05078;
  const bars = [1, 2].map((k) => ({
    centre: wcs.CRPIX2 - 1 + apd(`BAR${k}LOCN`)[0] / scale + s2,
    half: apd(`BAR${k}WIDTH`)[0] / scale / 2,
  }));
  const sci = new Float32Array(n * n);
  let seed = 99;
  for (let j = 0; j < n; j++) {
    let open = 1;
    for (const b of bars)
      open -= Math.max(0, Math.min(j + 0.5, b.centre + b.half) - Math.max(j - 0.5, b.centre - b.half));
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      sci[j * n + i] = 10 + 0.5 * row[i] * open + (seed / 2 ** 32 - 0.5) * 6;
    }
  }
  for (const [x, y] of [
    [200, 300],
    [515, 700],
    [800, 100],
  ])
    sci[y * n + x] += 4e5;
  const wav = FitsFile.open(join(dir, "o8ss01010_wav.fits"));
  const header = wav.hdus[0].header.clone();
  const times = ["EXPSTART", "EXPEND", "EXPTIME"].map((k) => [k, wav.hdu("SCI", 1).header.get(k)!] as const);
  wav.close();
  for (const [k, v] of Object.entries(primaryEdits)) header.set(k, v);
  const path = join(dir, name);
  const writer = new FitsWriter(path);
  writer.writeImage(header.set("NEXTEND", 3));
  const ext = (extname: string) => {
    const h = new Header().set("EXTNAME", extname).set("EXTVER", 1);
    for (const [k, v] of [...Object.entries(wcs), ...times]) h.set(k, v);
    return h.set("LTM1_1", 1).set("LTM2_2", 1).set("SDQFLAGS", 31743);
  };
  writer.writeImage(ext("SCI"), sci, [n, n]);
  writer.writeImage(ext("ERR"), new Float32Array(n * n).fill(3), [n, n]);
  writer.writeImage(ext("DQ"), new Int16Array(n * n), [n, n]);
  writer.close();
  return path;
}

test("the lamp lines' and the bars' offsets become SHIFTA1/SHIFTA2 of the wavecal's SCI header", () => {
  const path = writeWavecal("lamp_w2d.fits", 1.7, -1.2);
  const [found] = calstis4(path, refs);
  assert.ok(Math.abs(found.shifta1 - 1.7) < 0.05, `SHIFTA1 ${found.shifta1}`);
  assert.ok(Math.abs(found.shifta2 + 1.2) < 0.05, `SHIFTA2 ${found.shifta2}`);
  const fits = FitsFile.open(path);
  try {
    assert.equal(fits.hdus[0].header.get("WAVECORR"), "COMPLETE");
    const sci = fits.hdu("SCI", 1).header;
    assert.deepEqual([sci.get("SHIFTA1"), sci.get("SHIFTA2")], [found.shifta1, found.shifta2]);
  } finally {
    fits.close();
  }
  // and calstis12 carries them into both imsets of the science file
  const science = join(dir, "chain_flt.fits");
  copyFileSync(join(dir, "o8ss01010_raw.fits"), science);
  const written = calstis12(path, science).shifts;
  assert.deepEqual(written, [
    { shifta1: found.shifta1, shifta2: found.shifta2 },
    { shifta1: found.shifta1, shifta2: found.shifta2 },
  ]);
});

test("a wavecal dispersed along y (DISPAXIS 2) is refused naming the imset", () => {
  const path = writeWavecal("dispaxis_w2d.fits", 0, 0);
  const before = readFileSync(path);
  // cs4 reads DISPAXIS from the SCI header (default 1)
  rewriteHeaders(path, (h, hdu) => {
    if (hdu.name === "SCI") h.set("DISPAXIS", 2);
  });
  const edited = readFileSync(path);
  assert.notDeepEqual(edited, before);
  assert.throws(() => calstis4(path, refs), /dispaxis_w2d\.fits\[SCI,1\]: WAVECORR with DISPAXIS 2 is not native/);
  assert.deepEqual(readFileSync(path), edited);
});

test("a lamp or grating the tables do not have, an echelle without its tables or a prism wavecal, is refused naming it; the file unchanged", () => {
  const other = writeWavecal("lampset_w2d.fits", 0, 0, { LAMPSET: "3.8" });
  const before = readFileSync(other);
  assert.throws(
    () => calstis4(other, refs),
    (e: unknown) =>
      e instanceof CalibrationError && /LAMPTAB oref\$\w+_lmp\.fits: no row for .*LAMPSET 3\.8/.test(e.message),
  );
  assert.deepEqual(readFileSync(other), before);
  const echelle = writeWavecal("echelle_w2d.fits", 0, 0, { OPT_ELEM: "E230M" });
  const echelleBefore = readFileSync(echelle);
  assert.throws(() => calstis4(echelle, refs), /WAVECORR of an echelle needs DISPTAB, INANGTAB, SPTRCTAB/);
  assert.deepEqual(readFileSync(echelle), echelleBefore);
  const prism = writeWavecal("prism_w2d.fits", 0, 0, { OPT_ELEM: "PRISM" });
  assert.throws(() => calstis4(prism, refs), /prism_w2d\.fits: WAVECORR for the PRISM is not native yet/);
});

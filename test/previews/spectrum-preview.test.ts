// Spectrum plots: PNG sizes, data and axes inside the plot, the SVG text, and the COS _prev.fits table.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile, FitsWriter, Header } from "../../src/fits/index.js";
import { readSpectrum, spectrumSvg, writeSpectrumPreviews } from "../../src/previews/index.js";
import { HST_DATA } from "../helpers/paths.js";
import { decodeGrey, scratchDir, writeCosX1d } from "./helpers.js";

test("COS x1d: 1024 px plot with two panels of data, a 128 px thumbnail and the _prev.fits table", async () => {
  const dir = scratchDir("x1d");
  const file = join(dir, "la8q99ixq_x1d.fits");
  writeCosX1d(file);
  const written = await writeSpectrumPreviews(file, dir);
  assert.deepEqual(
    written.map((p) => p.slice(dir.length + 1)),
    ["la8q99ixq_x1d.png", "la8q99ixq_x1d_thumb.png", "la8q99ixq_x1d_prev.fits"],
  );
  const full = await decodeGrey(readFileSync(written[0]));
  assert.equal(full.width, 1024);
  const thumb = await decodeGrey(readFileSync(written[1]));
  assert.deepEqual([thumb.width, thumb.height], [128, 128]);
  // Inside the first panel's box (x 110…994, y 90…320): the line leaves dark pixels in many columns.
  const columns = new Set<number>();
  for (let y = 95; y < 315; y++) {
    for (let x = 115; x < 990; x++) if (full.grey[y * full.width + x] < 160) columns.add(x);
  }
  assert.ok(columns.size > 600, `data drawn across the panel (${columns.size} columns)`);
  let thumbDark = 0;
  for (let i = 0; i < thumb.grey.length; i++) if (thumb.grey[i] < 160) thumbDark++;
  assert.ok(thumbDark > 100);
  const svg = spectrumSvg(readSpectrum(file)).svg;
  for (const text of [
    "LA8Q99IXQ",
    "COS G130M",
    "HD-12345",
    "Wavelength (Å)",
    "Flux (erg /s /cm**2 /Angstrom)",
    "FUVA",
    "FUVB",
  ]) {
    assert.ok(svg.includes(text.replace("&", "&amp;")), `SVG has "${text}"`);
  }
  const prev = FitsFile.open(written[2]);
  const table = prev.readTable(1);
  prev.close();
  assert.equal(table.nrows, 2 * (2048 - 20));
  const waves = table.columns.find((c) => c.name === "WAVELENGTH")!.data as Float64Array;
  for (let i = 1; i < waves.length; i++) assert.ok(waves[i] >= waves[i - 1], "sorted by wavelength");
});

test("STIS sx1: one order, no _prev.fits", async () => {
  const dir = scratchDir("sx1");
  const file = join(dir, "obes03010_sx1.fits");
  const w = new FitsWriter(file);
  w.writeImage(new Header().set("INSTRUME", "STIS").set("OPT_ELEM", "G430L").set("TARGNAME", "STAR"));
  const n = 1024;
  w.writeTable(
    new Header().set("EXTNAME", "SCI"),
    [
      { name: "SPORDER", data: new Int16Array([1]) },
      { name: "WAVELENGTH", data: Float64Array.from({ length: n }, (_, i) => 2900 + i * 2.7), format: `${n}D` },
      { name: "FLUX", data: Float32Array.from({ length: n }, (_, i) => 1e-13 * (1 + i / n)), format: `${n}E` },
    ],
    1,
  );
  w.close();
  const written = await writeSpectrumPreviews(file, dir);
  assert.equal(written.length, 2);
  assert.ok(!existsSync(join(dir, "obes03010_sx1_prev.fits")));
  assert.match(spectrumSvg(readSpectrum(file)).svg, /order 1/);
});

test("a real COS table (lampflash: WAVELENGTH and GROSS, three NUV stripes) plots as three panels", () => {
  const spectrum = readSpectrum(join(HST_DATA, "labq01hzq_lampflash.fits"));
  assert.equal(spectrum.fluxColumn, "GROSS");
  assert.equal(spectrum.segments.length, 3);
  const { svg, width } = spectrumSvg(spectrum);
  assert.equal(width, 1024);
  assert.equal(svg.match(/<polyline/g)?.length, 3);
  assert.match(svg, /COS G285M \(2676\)/);
});

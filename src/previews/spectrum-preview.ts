/** Writes the spectrum previews of one x1d / sx1 / x1dsum product: PNG, thumbnail PNG and (COS) _prev.fits. */
import { basename, join } from "node:path";
import { FitsWriter, Header } from "../fits/index.js";
import { writeAtomically } from "./atomic.js";
import { readSpectrum, type Spectrum } from "./spectrum.js";
import { panelsOf, spectrumSvg, svgToPng, thumbnailSvg } from "./spectrum-plot.js";

export async function writeSpectrumPreviews(file: string, outDir: string): Promise<string[]> {
  const spectrum = readSpectrum(file);
  const base = basename(file).replace(/\.fits(\.gz)?$/i, "");
  const full = await svgToPng(spectrumSvg(spectrum).svg);
  const thumb = await svgToPng(thumbnailSvg(spectrum).svg);
  const written = [join(outDir, `${base}.png`), join(outDir, `${base}_thumb.png`)];
  writeAtomically(written[0], full);
  writeAtomically(written[1], thumb);
  if (spectrum.instrument.toUpperCase() === "COS") {
    const path = join(outDir, `${base}_prev.fits`);
    writePreviewTable(spectrum, path);
    written.push(path);
  }
  return written;
}

/**
 * The plotted spectrum as a FITS binary table (CALDP's COS `_prev.fits`): one row per plotted point,
 * all segments merged in wavelength order, with the segment each point came from.
 */
export function writePreviewTable(spectrum: Spectrum, path: string): void {
  const points = panelsOf(spectrum)
    .flat()
    .flatMap((s) => Array.from(s.wavelength, (w, i) => ({ w, f: s.flux[i], segment: s.label })))
    .sort((a, b) => a.w - b.w);
  const primary = new Header();
  for (const [k, v] of [
    ["INSTRUME", spectrum.instrument],
    ["ROOTNAME", spectrum.dataset],
    ["TARGNAME", spectrum.target],
    ["OPT_ELEM", spectrum.grating],
    ["CENWAVE", spectrum.cenwave ?? ""],
  ] as const) {
    if (v) primary.set(k, v);
  }
  primary.set("ORIGIN", "caldp previews", { comment: "plotted spectrum of the preview PNG" });
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    writer.writeTable(
      new Header().set("EXTNAME", "PREVIEW"),
      [
        { name: "WAVELENGTH", data: Float64Array.from(points, (p) => p.w), unit: "Angstrom" },
        { name: "FLUX", data: Float32Array.from(points, (p) => p.f), unit: spectrum.fluxUnit },
        { name: "SEGMENT", data: points.map((p) => p.segment), format: "12A" },
      ],
      points.length,
    );
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

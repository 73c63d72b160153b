/**
 * The previews stage of caldp-process (CALDP's create_previews), for ipst, SVM and MVM datasets. Every
 * preview that can be made is made; each failure is logged with its cause, and the stage then throws a
 * PreviewError (caldp-process exits 28 for it, a code CALDP defined but never raised). Files are written under a temporary name
 * and renamed, so a failure leaves no broken preview behind.
 */
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { parseDataset } from "../core/dataset.js";
import type { Logger } from "../core/log.js";
import { writeAtomically } from "./atomic.js";
import { fitsFiles, HAP_SUFFIXES, PREVIEW_SUFFIXES, previewKind, suffixOf } from "./candidates.js";
import { writeColourPreviews } from "./colour.js";
import { PreviewSkipped } from "./degenerate.js";
import { PreviewError } from "./errors.js";
import { filterWavelength, type HapFilterProduct, medianLow, parseHapFilterProduct } from "./filters.js";
import { writeImagePreviews } from "./image-preview.js";
import { writeSpectrumPreviews } from "./spectrum-preview.js";

export interface DatasetPreviewsOptions {
  dataset: string;
  inputDir: string;
  outputDir: string;
  /** acs, wfc3, cos, stis (ipst); ignored for SVM/MVM. */
  instrument?: string;
  log: Logger;
}

interface Failure {
  file: string;
  error: unknown;
}

/** Makes the dataset's previews in `outputDir`; returns the files written. */
export async function makeDatasetPreviews(options: DatasetPreviewsOptions): Promise<string[]> {
  const { inputDir, outputDir, log } = options;
  const dataset = parseDataset(options.dataset);
  mkdirSync(outputDir, { recursive: true });
  const written: string[] = [];
  const failures: Failure[] = [];
  const attempt = async (file: string, what: string, make: () => Promise<string[]>) => {
    try {
      log.info(`Generating ${what} preview for ${basename(file)}`);
      const paths = await make();
      for (const p of paths) log.info(`  wrote ${basename(p)}`);
      written.push(...paths);
    } catch (error) {
      if (error instanceof PreviewSkipped) {
        log.warning(`Preview (${what}) not generated for ${basename(file)}: ${error.message}`);
        return;
      }
      log.error(`Preview (${what}) not generated for ${basename(file)}: ${describe(error)}`);
      failures.push({ file, error });
    }
  };
  const warn = (file: string) => (note: string) => log.warning(`${basename(file)}: ${note}`);
  if (dataset.type === "ipst") {
    const instrument = (options.instrument ?? dataset.instrument ?? "").toLowerCase();
    const suffixes = PREVIEW_SUFFIXES[instrument] ?? [];
    const candidates = fitsFiles(inputDir, dataset.ds5).filter((f) => suffixes.includes(suffixOf(f)));
    log.info(`Previews for ${dataset.name}: ${candidates.length} candidate product(s) in ${inputDir}`);
    for (const file of candidates) {
      let kind: string;
      try {
        kind = previewKind(file);
      } catch (error) {
        log.error(`Preview not generated for ${basename(file)}: cannot read it: ${describe(error)}`);
        failures.push({ file, error });
        continue;
      }
      if (kind === "spectrum") await attempt(file, "spectral", () => writeSpectrumPreviews(file, outputDir));
      else if (kind === "image")
        await attempt(file, "imaging", () => writeImagePreviews(file, outputDir, { warn: warn(file) }));
      else log.warning(`Unable to determine FITS file type of ${basename(file)}`);
    }
  } else {
    const thumbSize = dataset.type === "mvm" ? 512 : 128;
    const candidates = (
      dataset.type === "svm" ? fitsFiles(inputDir, "hst_", dataset.obsSet) : fitsFiles(inputDir, `hst_${dataset.name}`)
    ).filter((f) => (HAP_SUFFIXES as readonly string[]).includes(suffixOf(f)));
    const images: string[] = [];
    for (const file of candidates) {
      try {
        if (previewKind(file) === "image") images.push(file);
      } catch (error) {
        log.error(`Preview not generated for ${basename(file)}: cannot read it: ${describe(error)}`);
        failures.push({ file, error });
      }
    }
    log.info(`Previews for ${dataset.name}: ${images.length} drizzled image product(s) in ${inputDir}`);
    for (const group of colourGroups(images, dataset.obsSet)) {
      await attempt(group.products[0].file, "colour", () => colourPreview(group, outputDir, thumbSize, log));
    }
    for (const file of images) {
      await attempt(file, "imaging", () => writeImagePreviews(file, outputDir, { thumbSize, warn: warn(file) }));
    }
  }
  if (failures.length > 0) {
    const names = failures.map((f) => basename(f.file)).join(", ");
    const files = failures.map((f) => f.file);
    throw new PreviewError(`${failures.length} preview(s) could not be made: ${names}`, files, {
      cause: failures[0].error,
      hint: "see the ERROR lines above in preview.txt for each file's cause",
    });
  }
  return written;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface ColourGroup {
  colourBase: string;
  products: (HapFilterProduct & { wavelength: number })[];
}

/** Filter products grouped by the colour preview they make (same instrument, detector and suffix). */
function colourGroups(files: string[], ipppss: string | undefined): ColourGroup[] {
  const groups = new Map<string, ColourGroup>();
  for (const file of files) {
    const product = parseHapFilterProduct(file, ipppss);
    if (!product) continue;
    const wavelength = filterWavelength(product.instrument, product.filter);
    if (wavelength === undefined) continue;
    const group = groups.get(product.colourBase) ?? { colourBase: product.colourBase, products: [] };
    group.products.push({ ...product, wavelength });
    groups.set(product.colourBase, group);
  }
  return [...groups.values()];
}

async function colourPreview(group: ColourGroup, outDir: string, thumbSize: number, log: Logger) {
  // Equal wavelengths overwrite each other, as in CALDP's {wavelength: file} dictionary.
  const byWavelength = new Map(group.products.map((p) => [p.wavelength, p.file]));
  const wavelengths = [...byWavelength.keys()];
  if (wavelengths.length < 2) {
    log.info(`Not enough FITS files with distinct filters to create a color preview (${group.colourBase})`);
    return [];
  }
  const red = byWavelength.get(Math.max(...wavelengths))!;
  const blue = byWavelength.get(Math.min(...wavelengths))!;
  const green = wavelengths.length > 2 ? byWavelength.get(medianLow(wavelengths)) : undefined;
  const targets = [
    { path: join(outDir, `${group.colourBase}_thumb.jpg`), size: thumbSize },
    { path: join(outDir, `${group.colourBase}.jpg`), size: -1 },
  ];
  const jpegs = await writeColourPreviews({ red, green, blue }, targets);
  for (const { path, jpeg } of jpegs) writeAtomically(path, jpeg);
  return jpegs.map((j) => j.path);
}

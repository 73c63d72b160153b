import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { EXIT_CODES } from "../../core/exit-codes.js";
import { FitsFile } from "../../fits/index.js";

// loaded when the command runs: the image encoders cost every other `caldp` command ~0.2 s at start-up
const previews = () => import("../../previews/index.js");

interface PreviewsCliOptions {
  out?: string;
  thumbSize: number;
  fitscut?: boolean;
}

/** A binary table in HDU 1 is a spectrum; otherwise the first image is previewed. */
function isSpectrum(file: string): boolean {
  const fits = FitsFile.open(file);
  try {
    return fits.hdus[1]?.type === "bintable" && fits.hdus[1].name.toUpperCase() !== "ASN";
  } finally {
    fits.close();
  }
}

export function registerPreviewsCommand(program: Command): void {
  program
    .command("previews")
    .description("write JPEG previews of images (fitscut's stretch) and PNG plots of x1d/sx1 spectra")
    .argument("<file...>", "FITS products (raw, flt, flc, crj, drz, drc, ima, x1d, sx1, x1dsum…)")
    .option("--out <dir>", "output folder (default: beside each file)")
    .option("--thumb-size <n>", "long side of the thumbnail in pixels", (v) => Number.parseInt(v, 10), 128)
    .option("--fitscut", "SCI,1 only and no DQ masking, exactly as fitscut renders it")
    .action(async (files: string[], options: PreviewsCliOptions) => {
      if (!Number.isInteger(options.thumbSize) || options.thumbSize < 1) {
        throw new Error("--thumb-size must be a positive integer");
      }
      const { PreviewSkipped, writeImagePreviews, writeSpectrumPreviews } = await previews();
      let failed = 0;
      for (const file of files) {
        const outDir = resolve(options.out ?? dirname(file));
        try {
          mkdirSync(outDir, { recursive: true });
          const written = isSpectrum(file)
            ? await writeSpectrumPreviews(file, outDir)
            : await writeImagePreviews(file, outDir, {
                thumbSize: options.thumbSize,
                mosaic: !options.fitscut,
                dqMask: !options.fitscut,
                warn: (note) => console.error(`caldp previews: ${file}: ${note}`),
              });
          for (const path of written) console.log(path);
        } catch (e) {
          if (e instanceof PreviewSkipped) {
            console.error(`caldp previews: ${file}: ${e.message}`);
            continue;
          }
          failed++;
          console.error(`caldp previews: ${file}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      if (failed > 0) process.exitCode = EXIT_CODES.CREATE_PREVIEWS_ERROR;
    });
}

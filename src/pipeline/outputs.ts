import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Dataset } from "../core/dataset.js";

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/** Names in `dir` matching a `*` pattern, sorted; none if the folder is missing. */
function glob(dir: string, pattern: string): string[] {
  try {
    const re = wildcard(pattern);
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && re.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** The four log and metrics files of a run, copied into the output tree or uploaded beside the tarball. */
export const LOG_FILES = ["process.txt", "process_metrics.txt", "preview.txt", "preview_metrics.txt"] as const;

/** CALDP's find_output_files patterns for a dataset's product folder. */
export function outputPatterns(dataset: Dataset): string[] {
  const ds = dataset.name;
  if (dataset.type === "ipst") return ["*.fits", "*.tra"];
  if (dataset.type === "svm") {
    const obs = dataset.obsSet;
    return [`hst_*${obs}*.fits`, `hst_*${obs}*.txt`, `hst_*${obs}*.ecsv`, `${ds}_manifest.txt`, "astrodrizzle.log"];
  }
  return [`hst_${ds}*.fits`, `hst_${ds}*.txt`, `${ds}_manifest.txt`];
}

/**
 * The products of a dataset relative to the output folder, as CALDP lists them in the final message and
 * the tarball: `<ds>/<file>` for each output pattern, then `<ds>/previews/<file>`.
 */
export function listOutputFiles(outputDir: string, dataset: Dataset, withPreviews = true): string[] {
  const ds = dataset.name;
  const products = outputPatterns(dataset).flatMap((p) => glob(join(outputDir, ds), p).map((n) => `${ds}/${n}`));
  const previews = withPreviews ? glob(join(outputDir, ds, "previews"), "*").map((n) => `${ds}/previews/${n}`) : [];
  return [...new Set(products), ...previews];
}

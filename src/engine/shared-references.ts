/**
 * Reference images loaded once for a round of tasks into shared memory (SharedArrayBuffers), several files
 * at once on the pool's threads, and handed to every task: one copy of each file however many workers use
 * it. Drop the records after the round to free the pixels.
 */
import type { ReferenceImage } from "../calib/common/reference-image.js";
import type { ReferenceNames } from "./program-files.js";
import { type ReferenceImageFile, SHARED_REFERENCE_TASK } from "./reference-files.js";
import type { WorkerPool } from "./worker-pool.js";

/** One exposure's reference images by keyword (name as its header writes it, PEDIGREE, DESCRIP, imsets). */
export type SharedImages = Partial<Record<string, ReferenceImage>>;

/** The image references `keywords` of each exposure, each file read once; in the order of `exposures`. */
export async function loadSharedImages(
  pool: WorkerPool,
  keywords: readonly string[],
  exposures: readonly ReferenceNames[],
): Promise<SharedImages[]> {
  const keywordOf = new Map<string, string>();
  for (const names of exposures) {
    for (const keyword of keywords) {
      const ref = names[keyword];
      if (ref && !keywordOf.has(ref.path)) keywordOf.set(ref.path, keyword);
    }
  }
  const paths = [...keywordOf.keys()];
  const files: ReferenceImageFile[] = await pool.run(
    SHARED_REFERENCE_TASK,
    paths.map((path) => ({ keyword: keywordOf.get(path)!, path })),
  );
  const byPath = new Map(paths.map((path, n) => [path, files[n]!]));
  return exposures.map((names) => {
    const images: SharedImages = {};
    for (const keyword of keywords) {
      const ref = names[keyword];
      const file = ref && byPath.get(ref.path);
      if (ref && file)
        images[keyword] = { name: ref.name, pedigree: file.pedigree, descrip: file.descrip, imsets: file.imsets };
    }
    return images;
  });
}

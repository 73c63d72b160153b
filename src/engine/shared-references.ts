/**
 * Reference images loaded once for a round of tasks into shared memory (SharedArrayBuffers), several files
 * at once on the pool's threads, and handed to every task: one copy of each file however many workers use
 * it. Drop the records after the round to free the pixels.
 */
import type { ReferenceImage } from "../calib/common/reference-image.js";
import type { ReferenceNames } from "./program-files.js";
import { type ReferenceImageFile, SHARED_REFERENCE_TASK, type SharedReferenceArgs } from "./reference-files.js";
import type { WorkerPool } from "./worker-pool.js";

/** One exposure's reference images by keyword (name as its header writes it, PEDIGREE, DESCRIP, imsets). */
export type SharedImages = Partial<Record<string, ReferenceImage>>;

/** An exposure's references, and the CCDCHIPs of its image sets when only those chips' imsets are needed. */
export interface ReferenceUse {
  references: ReferenceNames;
  chips?: readonly number[];
}

/**
 * The image references `keywords` of each exposure, each file read once (the imsets of the chips the
 * exposures naming it use, or every imset when one of them gives no chips, or the keyword is in `whole`:
 * a step that picks its imset by number, not by CCDCHIP); in the order of `exposures`.
 */
export async function loadSharedImages(
  pool: WorkerPool,
  keywords: readonly string[],
  exposures: readonly ReferenceUse[],
  whole: readonly string[] = [],
): Promise<SharedImages[]> {
  const files = new Map<string, SharedReferenceArgs>();
  for (const { references, chips } of exposures) {
    for (const keyword of keywords) {
      const ref = references[keyword];
      if (!ref) continue;
      const file = files.get(ref.path) ?? { keyword, path: ref.path, chips: [] };
      const every = !chips || whole.includes(keyword) || !file.chips;
      file.chips = every ? undefined : [...new Set([...file.chips!, ...chips])];
      files.set(ref.path, file);
    }
  }
  const wanted = [...files.values()];
  const loaded: ReferenceImageFile[] = await pool.run(SHARED_REFERENCE_TASK, wanted);
  const byPath = new Map(wanted.map((file, n) => [file.path, loaded[n]!]));
  return exposures.map(({ references }) => {
    const images: SharedImages = {};
    for (const keyword of keywords) {
      const ref = references[keyword];
      const file = ref && byPath.get(ref.path);
      if (ref && file) {
        images[keyword] = { name: ref.name, pedigree: file.pedigree, descrip: file.descrip, imsets: file.imsets };
      }
    }
    return images;
  });
}

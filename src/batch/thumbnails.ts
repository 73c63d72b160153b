/**
 * Preview thumbnails for the dashboard of an s3: batch. caldp-process puts the previews of an s3: output only
 * inside `outputs/<ds>/<ds>.tar.gz`; the worker copies the small `*_thumb.jpg` files beside it, to
 * `outputs/<ds>/previews/`, from the attempt's local staging folder (`<cwd>/outputs/<ds>/previews`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BatchStore } from "./store.js";

export async function publishThumbnails(store: BatchStore, cwd: string, ds: string): Promise<string[]> {
  const local = join(cwd, "outputs", ds, "previews");
  let names: string[];
  try {
    names = readdirSync(local).filter((n) => n.endsWith("_thumb.jpg"));
  } catch {
    return [];
  }
  const keys = names.map((n) => `${store.productsPrefix(ds)}/previews/${n}`);
  await Promise.all(names.map((n, i) => store.put(keys[i], readFileSync(join(local, n)))));
  return keys;
}

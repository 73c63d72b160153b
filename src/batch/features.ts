/**
 * A dataset's features for the rung prediction: CALCLOUD's `control/<ds>/<ds>_MemModelFeatures.txt` when the
 * output location has one, else measured from a `file:` input (files named after the dataset, DETECTOR from
 * the first raw file's primary header).
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseDataset } from "../core/dataset.js";
import { FitsFile } from "../fits/index.js";
import type { DatasetFeatures } from "./predict.js";
import type { BatchStore } from "./store.js";

/** The input URI of one dataset: `{dataset}` in the batch's input URI is replaced by the dataset's name. */
export const datasetInput = (input: string, ds: string) => input.replaceAll("{dataset}", ds);

export function parseMemModelFeatures(text: string, ds: string): DatasetFeatures {
  const values = new Map(
    text
      .split("\n")
      .map((line) => line.split("="))
      .filter((parts) => parts.length === 2)
      .map(([k, v]) => [k.trim(), v.trim()]),
  );
  return {
    instrument: parseDataset(ds).instrument ?? "",
    detector: values.get("DETECTOR") ?? "",
    nFiles: Number(values.get("n_files") ?? 0),
    totalMb: Number(values.get("total_mb") ?? 0),
  };
}

function detectorOf(path: string): string {
  try {
    const fits = FitsFile.open(path);
    const value = fits.hdus[0].header.get("DETECTOR");
    fits.close();
    return typeof value === "string" ? value.trim() : "";
  } catch {
    return "";
  }
}

export function measureFileInput(input: string, ds: string): DatasetFeatures {
  const instrument = parseDataset(ds).instrument ?? "";
  const folder = datasetInput(input, ds).replace(/^file:(\/\/)?/, "");
  let names: string[] = [];
  try {
    const prefix = ds.slice(0, 5).toLowerCase();
    names = readdirSync(folder).filter((n) => n.toLowerCase().startsWith(prefix));
  } catch {
    // an input that is not there fails in caldp-process (21), with its explanation
  }
  const bytes = names.reduce((sum, n) => sum + statSync(join(folder, n)).size, 0);
  const raw = names.find((n) => n.endsWith("_raw.fits"));
  return {
    instrument,
    detector: raw ? detectorOf(join(folder, raw)) : "",
    nFiles: names.length,
    totalMb: Math.round((bytes / 1e6) * 1000) / 1000,
  };
}

export async function datasetFeatures(store: BatchStore, input: string, ds: string): Promise<DatasetFeatures> {
  const model = await store.get(`control/${ds}/${ds}_MemModelFeatures.txt`);
  if (model !== undefined) return parseMemModelFeatures(model, ds);
  if (input.startsWith("file:")) return measureFileInput(input, ds);
  return { instrument: parseDataset(ds).instrument ?? "", detector: "", nFiles: 0, totalMb: 0 };
}

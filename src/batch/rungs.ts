/**
 * The memory ladder (contract §16.4): four rungs, one queue each. The limits are CALCLOUD's job-definition
 * memories, N × (1024 − 128) MiB, because ECS keeps 128 MiB per GiB for itself.
 */
export const RUNGS = [
  { bin: 0, name: "2g", memoryMiB: 2 * 896 },
  { bin: 1, name: "8g", memoryMiB: 8 * 896 },
  { bin: 2, name: "16g", memoryMiB: 16 * 896 },
  { bin: 3, name: "64g", memoryMiB: 64 * 896 },
] as const;

export type Rung = (typeof RUNGS)[number];
export type RungName = Rung["name"];
export const TOP_BIN = RUNGS.length - 1;

/** A rung by bin (0–3) or name ("2g", "02g", "8g", …). */
export function rungOf(binOrName: number | string): Rung {
  const rung =
    typeof binOrName === "number"
      ? RUNGS[binOrName]
      : RUNGS.find((r) => r.name === binOrName.replace(/^0+/, "").toLowerCase());
  if (!rung) throw new Error(`unknown memory rung '${binOrName}': one of ${RUNGS.map((r) => r.name).join(", ")}`);
  return rung;
}

/** CALCLOUD's model_ingest binning of a measured peak (GB = kB / 1e6): < 1.792 → 0, < 7.168 → 1, < 14.336 → 2. */
export function binForPeakKb(maxRssKb: number): number {
  const gb = maxRssKb / 1e6;
  return gb < 1.792 ? 0 : gb < 7.168 ? 1 : gb < 14.336 ? 2 : 3;
}

// Benchmark: cold load of the hst_0729 closure, then bestrefs for 1,000 synthetic datasets of all instruments.
// Run: node --import tsx bench/crds-bestrefs.ts
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { getBestReferences, loadContext, MappingLoader, PipelineContext } from "../src/crds/index.js";
import { MatchSelector } from "../src/crds/selectors/match.js";

const CRDS_DATA = resolve(
  process.env.CALDP_SHARED ?? resolve(import.meta.dirname, "..", "..", "shared"),
  "data",
  "crds",
);
const PMAP = join(CRDS_DATA, "mappings", "hst", "hst_0729.pmap");
const DATASETS = 1000;

let seed = 20190911;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Plausible values for every parameter of an instrument, taken from its rmaps' Match keys. */
function instrumentValues(context: PipelineContext, instrument: string): Map<string, string[]> {
  const values = new Map<string, Set<string>>();
  for (const rmap of context.getImap(instrument).rmaps()) {
    if (!(rmap.selector instanceof MatchSelector)) continue;
    for (const [name, list] of rmap.selector.parameterValues()) {
      const usable = list.filter((v) => v !== "*" && v !== "N/A" && !/[*#()[\]{}]/.test(v));
      if (!values.has(name)) values.set(name, new Set());
      for (const v of usable) values.get(name)!.add(v);
    }
  }
  return new Map([...values].map(([k, v]) => [k, [...v]]));
}

function syntheticDataset(
  context: PipelineContext,
  instrument: string,
  values: Map<string, string[]>,
): Record<string, string> {
  const header: Record<string, string> = { INSTRUME: instrument };
  for (const name of context.getImap(instrument).requiredParkeys()) {
    const options = values.get(name);
    if (name.endsWith("CORR")) header[name] = pick(["PERFORM", "PERFORM", "COMPLETE", "OMIT"]);
    else if (options && options.length > 0) header[name] = pick(options);
  }
  const year = 1995 + Math.floor(random() * 25);
  const month = String(1 + Math.floor(random() * 12)).padStart(2, "0");
  const day = String(1 + Math.floor(random() * 28)).padStart(2, "0");
  header["DATE-OBS"] = `${year}-${month}-${day}`;
  header["TIME-OBS"] = `${String(Math.floor(random() * 24)).padStart(2, "0")}:30:15`;
  return header;
}

const coldStart = performance.now();
const context = loadContext(PMAP);
const coldMs = performance.now() - coldStart;
if (!(context instanceof PipelineContext)) throw new Error("hst_0729.pmap did not load as a pipeline context");

const warmRuns: number[] = [];
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  new MappingLoader().load(PMAP);
  warmRuns.push(performance.now() - start);
}

const recorded = Object.values(
  JSON.parse(readFileSync(join(CRDS_DATA, "oracles", "pickle_bestrefs.json"), "utf8")) as Record<
    string,
    { input_header: Record<string, string> }
  >,
).map((entry) => entry.input_header);
const instruments = context.imaps().map((imap) => imap.instrument.toUpperCase());
const valueTables = new Map(instruments.map((name) => [name, instrumentValues(context, name)]));
const datasets: Array<Record<string, string>> = [];
for (let i = 0; i < DATASETS; i++) {
  if (i % 10 === 0) {
    const base = recorded[(i / 10) % recorded.length];
    datasets.push({ ...base, "DATE-OBS": `${2009 + (i % 10)}-0${1 + (i % 9)}-15` });
  } else {
    const instrument = instruments[i % instruments.length];
    datasets.push(syntheticDataset(context, instrument, valueTables.get(instrument)!));
  }
}

let lookups = 0;
let found = 0;
let notApplicable = 0;
let errors = 0;
const start = performance.now();
for (const dataset of datasets) {
  for (const value of Object.values(getBestReferences(context, dataset))) {
    lookups++;
    if (typeof value !== "string" || !value.startsWith("NOT FOUND")) found++;
    else if (value === "NOT FOUND n/a") notApplicable++;
    else errors++;
  }
}
const totalMs = performance.now() - start;
const perDatasetMs = totalMs / DATASETS;

const maxRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(
  `hst_0729 closure: 137 mappings; cold load ${coldMs.toFixed(1)} ms (goal < 200 ms); warm reload median ${warmRuns.sort((a, b) => a - b)[2].toFixed(1)} ms`,
);
console.log(
  `bestrefs: ${DATASETS} datasets (${instruments.join(", ")}), ${lookups} filekind lookups in ${totalMs.toFixed(1)} ms`,
);
console.log(
  `          ${perDatasetMs.toFixed(3)} ms per dataset (goal < 1 ms); ${found} found, ${notApplicable} n/a, ${errors} other NOT FOUND`,
);
console.log(`peak RSS: ${maxRssMiB.toFixed(1)} MiB`);

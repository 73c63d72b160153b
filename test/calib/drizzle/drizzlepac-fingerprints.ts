/**
 * Runs the drizzlepac oracle on every case of drizzlepac-cases.ts and writes drizzlepac-fingerprints.json, with how
 * far our outputs are from drizzlepac's on each. Not a test: run it by hand where a drizzlepac venv exists,
 *   DRIZZLEPAC_PYTHON=<venv>/bin/python npx tsx test/calib/drizzle/drizzlepac-fingerprints.ts
 *   npx biome format --write test/calib/drizzle/drizzlepac-fingerprints.json
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../../helpers/paths.js";
import { drizzlepacCases, fingerprint, type RawArray } from "./drizzlepac-cases.js";
import { compareImages, withTempDir } from "./oracle.js";

const PYTHON = process.env.DRIZZLEPAC_PYTHON ?? "";
if (!PYTHON) throw new Error("set DRIZZLEPAC_PYTHON to a python that imports drizzlepac 3.6.2");
const OUT = join(REPO, "test", "calib", "drizzle", "drizzlepac-fingerprints.json");

const TYPES: Record<string, (b: ArrayBuffer) => RawArray> = {
  float32: (b) => new Float32Array(b),
  float64: (b) => new Float64Array(b),
  int32: (b) => new Int32Array(b),
  uint8: (b) => new Uint8Array(b),
  int16: (b) => new Uint8Array(b), // the static mask: compared as bytes
};

export function runOracle(): { name: string; theirs: Record<string, RawArray>; meta: unknown }[] {
  const cases = drizzlepacCases();
  return withTempDir((dir) => {
    for (const c of cases) {
      for (const [name, a] of Object.entries(c.files)) {
        writeFileSync(
          join(dir, `${c.name.replace(/\W+/g, "_")}.${name}`),
          new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
        );
      }
    }
    const spec = cases.map((c) => {
      const prefix = `${c.name.replace(/\W+/g, "_")}.`;
      return JSON.parse(
        JSON.stringify(c.spec, (key, v) =>
          typeof v === "string" && c.files[v] !== undefined && key !== "op" && key !== "type" && key !== "kernel"
            ? prefix + v
            : v,
        ),
      );
    });
    writeFileSync(join(dir, "spec.json"), JSON.stringify({ cases: spec }));
    const script = join(REPO, "test", "peers", "drizzlepac_oracle.py");
    const stdout = execFileSync(PYTHON, [script, join(dir, "spec.json")], { encoding: "utf8", maxBuffer: 1 << 26 });
    // drizzlepac prints on import; the results are the last line
    const results = JSON.parse(stdout.trim().split("\n").at(-1) ?? "[]");
    return cases.map((c, n) => {
      const theirs: Record<string, RawArray> = {};
      for (const [name, dtype] of Object.entries(results[n].arrays as Record<string, string>)) {
        const b = readFileSync(join(dir, `${n}.${name}`));
        theirs[name] = TYPES[dtype](b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      }
      return { name: c.name, theirs, meta: results[n] };
    });
  });
}

if (process.argv[1]?.endsWith("drizzlepac-fingerprints.ts")) {
  const cases = drizzlepacCases();
  const runs = runOracle();
  const out: Record<string, unknown> = {};
  runs.forEach(({ name, theirs, meta }, n) => {
    const ours = cases[n].ours();
    const arrays: Record<string, unknown> = {};
    for (const [k, a] of Object.entries(theirs)) {
      const d = ours[k] ? compareImages(ours[k], a, cases[n].rtol, 0) : undefined;
      arrays[k] = { ...fingerprint(a), measured: d && { bad: d.bad, maxRelative: d.maxRelative, first: d.first } };
      console.log(
        `${name} ${k}: ${d ? `${d.bad} differ beyond ${cases[n].rtol}, max rel ${d.maxRelative.toExponential(2)} ${d.first}` : "?"}`,
      );
    }
    const legacy = cases[n].legacy?.();
    for (const [k, a] of Object.entries(legacy ?? {})) {
      const d = compareImages(a, theirs[k], cases[n].rtol, 0);
      (arrays[k] as Record<string, unknown>).legacy = { bad: d.bad, maxRelative: d.maxRelative, first: d.first };
      console.log(`${name} ${k} with 1.13.4's map reading: ${d.bad} differ, max rel ${d.maxRelative.toExponential(2)}`);
    }
    const { counts, stats, sky } = meta as { counts?: unknown; stats?: Record<string, number>; sky?: number[][] };
    if (sky) console.log(`${name}: drizzlepac ${JSON.stringify(sky)}, ours ${JSON.stringify(cases[n].oursSky?.())}`);
    if (stats) {
      const mine = cases[n].oursStats?.() ?? {};
      for (const [k, v] of Object.entries(stats)) console.log(`${name} ${k}: drizzlepac ${v}, ours ${mine[k]}`);
    }
    out[name] = { arrays, counts, stats, sky };
  });
  const recorded = { oracle: "drizzlepac 3.6.2 (stsci.image 2.3.6, stsci.imagestats 1.7.0)", cases: out };
  writeFileSync(OUT, `${JSON.stringify(recorded, null, 1)}\n`);
}

/**
 * The layers of src/ (docs/architecture.md): every import points down or stays in its own layer, src/calib does
 * no I/O, and no file-level import circle exists. Read from the sources' import statements.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { REPO } from "../helpers/paths.js";

const SRC = join(REPO, "src");

/** Rank of each layer: a file may import its own layer or a lower rank only. */
const RANK: Record<string, number> = {
  core: 0,
  "version.ts": 0,
  fits: 1,
  crds: 2,
  wcs: 2,
  calib: 2,
  engine: 3,
  io: 3,
  previews: 3,
  sim: 3,
  pipeline: 4,
  batch: 5,
  cli: 6,
};

function sources(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return name.endsWith(".ts") ? [path] : [];
    });
}

/** Static and dynamic import specifiers of a source text (type-only imports included: they couple layers too). */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/g)) found.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) found.push(m[1]);
  return found;
}

/** The source file a relative specifier names (`./x.js` → `x.ts`). */
function target(file: string, specifier: string): string {
  return resolve(dirname(file), specifier).replace(/\.js$/, ".ts");
}

const layerOf = (file: string) => relative(SRC, file).split("/")[0];

const files = sources(SRC);
const graph = new Map(
  files.map((f) => [
    f,
    importsOf(readFileSync(f, "utf8"))
      .filter((s) => s.startsWith("."))
      .map((s) => target(f, s)),
  ]),
);

test("every layer of src/ has a rank", () => {
  const unranked = [...new Set(files.map(layerOf))].filter((l) => RANK[l] === undefined);
  assert.deepEqual(unranked, [], "add new layers to RANK and to docs/architecture.md");
});

test("imports point down: no file imports a layer of a higher rank", () => {
  const upward: string[] = [];
  for (const [file, deps] of graph) {
    for (const dep of deps) {
      const from = layerOf(file);
      const to = layerOf(dep);
      if (from !== to && RANK[to] >= RANK[from]) upward.push(`${relative(SRC, file)} → ${relative(SRC, dep)}`);
    }
  }
  assert.deepEqual(upward, []);
});

test("src/calib is pure: it imports only src/calib and src/core (no node: module, no package, no FITS)", () => {
  const impure: string[] = [];
  for (const file of files.filter((f) => layerOf(f) === "calib")) {
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      const layer = specifier.startsWith(".") ? layerOf(target(file, specifier)) : undefined;
      if (layer !== "calib" && layer !== "core") impure.push(`${relative(SRC, file)} imports ${specifier}`);
    }
  }
  assert.deepEqual(impure, []);
});

test("instruments share through src/calib/common: no WFC3 file imports calib/acs or engine/acs", () => {
  const wfc3 = files.filter((f) => /\/(calib|engine)\/wfc3\//.test(f));
  const acs = (dep: string) => /\/(calib|engine)\/acs\//.test(dep);
  const crossing = wfc3.flatMap((f) =>
    graph
      .get(f)!
      .filter(acs)
      .map((d) => `${relative(SRC, f)} → ${relative(SRC, d)}`),
  );
  assert.deepEqual(crossing, [], "move what both instruments use to src/calib/common (or src/engine)");
});

test("exit codes are decided in one place: only src/pipeline and src/cli use the coded errors of src/core", () => {
  const coded = join(SRC, "core", "errors.ts");
  const deciding = files
    .filter((f) => !["core", "pipeline", "cli"].includes(layerOf(f)) && graph.get(f)?.includes(coded))
    .map((f) => relative(SRC, f));
  assert.deepEqual(deciding, [], "throw the layer's own error; map it in src/pipeline/error-exits.ts");
});

test("short files: none of src/calib, src/engine or src/pipeline is longer than 300 lines", () => {
  const long = files
    .filter((f) => ["calib", "engine", "pipeline"].includes(layerOf(f)))
    .map((f) => `${relative(SRC, f)}: ${readFileSync(f, "utf8").split("\n").length - 1} lines`)
    .filter((line) => Number(line.split(": ")[1].split(" ")[0]) > 300);
  assert.deepEqual(long, []);
});

/** Every import circle of a graph, each as its files in order (depth-first, one report per back edge). */
function circlesOf(deps: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const circles: string[][] = [];
  const visit = (node: string, path: string[]) => {
    if (state.get(node) === "done") return;
    if (state.get(node) === "open") {
      circles.push([...path.slice(path.indexOf(node)), node]);
      return;
    }
    state.set(node, "open");
    for (const dep of deps.get(node) ?? []) visit(dep, [...path, node]);
    state.set(node, "done");
  };
  for (const node of deps.keys()) visit(node, []);
  return circles;
}

test("no import circle between files", () => {
  const circles = circlesOf(graph).map((c) => c.map((f) => relative(SRC, f)).join(" → "));
  assert.deepEqual(circles, []);
});

test("the checks find what they look for: specifiers of every form, a circle, an upward layer", () => {
  const sample = [
    'import { x } from "../pipeline/errors.js";',
    'import type {\n  Y,\n} from "./y.js";',
    'export { z } from "./z.js";',
    'const s3 = await import("../io/s3.js");',
  ].join("\n");
  assert.deepEqual(importsOf(sample), ["../pipeline/errors.js", "./y.js", "./z.js", "../io/s3.js"]);
  const made = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a"]],
    ["d", ["a"]],
  ]);
  assert.deepEqual(circlesOf(made), [["a", "b", "c", "a"]]);
  const tar = join(SRC, "io", "tar.ts");
  assert.ok(RANK[layerOf(target(tar, "../pipeline/errors.js"))] > RANK[layerOf(tar)]);
});

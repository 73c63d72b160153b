/**
 * The calibration layers stay as the framework needs them: src/calib is pure (it imports only other
 * src/calib modules: no node: module, no FITS, no engine), no file of src/calib or src/engine passes 300
 * lines, and no import circle joins files of src/calib and src/engine (type-only imports count too).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { REPO } from "../helpers/paths.js";

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*"([^"]+)"|import\(\s*"([^"]+)"\s*\)|import\s*"([^"]+)"/g;

function sources(dir: string): string[] {
  return readdirSync(join(REPO, dir), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(dir, name));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(REPO, file), "utf8");
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The repository path a relative specifier names (`.js` → `.ts`), or undefined for a package or node: module. */
function target(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return relative(REPO, resolve(REPO, dirname(file), specifier)).replace(/\.js$/, ".ts");
}

test("src/calib imports nothing but src/calib: no node: module, no package, no FITS or engine code", () => {
  const outside: string[] = [];
  for (const file of sources("src/calib")) {
    for (const specifier of importsOf(file)) {
      const path = target(file, specifier);
      if (!path?.startsWith("src/calib/")) outside.push(`${file} imports ${specifier}`);
    }
  }
  assert.deepEqual(outside, []);
});

test("no file of src/calib or src/engine is longer than 300 lines", () => {
  const long = [...sources("src/calib"), ...sources("src/engine")]
    .map((file) => ({ file, lines: readFileSync(join(REPO, file), "utf8").split("\n").length - 1 }))
    .filter((f) => f.lines > 300);
  assert.deepEqual(long, []);
});

test("no import circle among the files of src/calib and src/engine", () => {
  const files = [...sources("src/calib"), ...sources("src/engine")];
  const edges = new Map(
    files.map((file) => [
      file,
      importsOf(file)
        .map((s) => target(file, s))
        .filter((p): p is string => p !== undefined && files.includes(p)),
    ]),
  );
  const state = new Map<string, "open" | "done">();
  const circles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      circles.push([...path.slice(path.indexOf(file)), file].join(" → "));
      return;
    }
    state.set(file, "open");
    for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, "done");
  };
  for (const file of files) visit(file, []);
  assert.deepEqual(circles, []);
});

// What the engine benchmarks share: command-line options, a process timed by GNU time, the built engine
// (refused when stale) and best/median of the samples.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const PYTHON = "/usr/bin/python3";
export const REPO = join(fileURLToPath(new URL(".", import.meta.url)), "..");

export function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
}

export interface Sample {
  wall: number;
  cpu: number;
  rssMb: number;
  output: string;
}

/** Runs a command under GNU time: wall, user + sys CPU and peak RSS of the whole process with its threads. */
export function timed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Sample {
  const report = join(tmpdir(), `caldp-bench-time-${process.pid}.txt`);
  const output = execFileSync("/usr/bin/time", ["-o", report, "-f", "@@time %e %U %S %M", command, ...args], {
    cwd,
    env,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const line = execFileSync("tail", ["-n", "1", report], { encoding: "utf8" }).trim();
  rmSync(report, { force: true });
  const [, wall, user, sys, rss] = line.split(/\s+/).map(Number);
  return { wall, cpu: user + sys, rssMb: rss / 1024, output };
}

function newestUnder(dir: string, ext: string): { path: string; mtime: number } {
  let newest = { path: "", mtime: 0 };
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const found = statSync(path).isDirectory()
      ? newestUnder(path, ext)
      : name.endsWith(ext)
        ? { path, mtime: statSync(path).mtimeMs }
        : newest;
    if (found.mtime > newest.mtime) newest = found;
  }
  return newest;
}

/**
 * node's arguments to run `childSource` (an ES module reading its arguments after the module URL) on an engine
 * module given by its path under src/ without extension: the built one in dist/ (as the caldp command runs it),
 * refused when src/calib, src/engine or src/fits changed after the build, or the sources through tsx.
 * The child is a file, not -e: eval'd worker threads would inherit --input-type=module.
 */
export function engineCommand(engine: string, childSource: string, useTsx: boolean, scratch: string): string[] {
  const script = join(scratch, "engine-child.mjs");
  writeFileSync(script, childSource);
  const child = (module: string) => [script, pathToFileURL(module).href];
  if (useTsx) return ["--import", "tsx", ...child(join(REPO, "src", `${engine}.ts`))];
  return child(builtModule(`${engine}.js`));
}

/** The path of `module` under dist/, refused when src/calib, src/engine or src/fits changed after the build. */
export function builtModule(module: string): string {
  const built = join(REPO, "dist", module);
  const source = ["calib", "engine", "fits"]
    .map((folder) => newestUnder(join(REPO, "src", folder), ".ts"))
    .reduce((a, b) => (b.mtime > a.mtime ? b : a));
  if (!existsSync(built) || newestUnder(join(REPO, "dist"), ".js").mtime < source.mtime) {
    throw new Error(`dist/ is older than ${relative(REPO, source.path)}: run npm run build first, or pass --tsx`);
  }
  return built;
}

/** The sample with the shortest wall time. */
export function best(samples: Sample[]): Sample {
  return samples.reduce((a, b) => (b.wall < a.wall ? b : a));
}

export function median(samples: Sample[], key: "wall" | "cpu"): number {
  const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Shared set-up of the caldp-process fault tests: a simulated ACS/HRC CR-SPLIT dataset copied per test, the
 * run started as a real process group that the test can signal, and the checks of what a run leaves behind
 * (input folder state, processes, final-named files that must be complete).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after } from "node:test";
import { verifyFile } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { TSX } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";

export const DS = "j8cb010b0";
let template: string | undefined;
const made: string[] = [];

// each workspace holds a copy of the dataset and the products of several runs (tens of MB)
after(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder with `in/` (the simulated dataset with its CRDS cache) and `sim.cfg`; the dataset is made once. */
export function workspace(prefix: string, extraConfig = ""): { dir: string; input: string; config: string } {
  if (!template) {
    template = mkdtempSync(join(tmpdir(), "caldp-faults-sim-"));
    made.push(template);
    simulateDataset({ dataset: DS, out: join(template, "in"), detector: "HRC", seed: 11 });
  }
  const dir = mkdtempSync(join(tmpdir(), `caldp-${prefix}-`));
  made.push(dir);
  cpSync(join(template, "in"), join(dir, "in"), { recursive: true });
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${join(dir, "in", "crds")}\nCRDS_READONLY_CACHE=1\n${extraConfig}`);
  return { dir, input: join(dir, "in"), config };
}

/** Stand-in hstcal programs in `<dir>/bin` (shell scripts); returns the PATH that finds them first. */
export function standIns(dir: string, programs: Record<string, string>): string {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  for (const [name, body] of Object.entries(programs)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return `${bin}:/usr/bin:/bin`;
}

export interface Running {
  child: ChildProcess;
  pid: number;
  ended: Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts caldp-process (from the sources) as the leader of its own process group. */
export function startProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, ["--import", TSX, join(REPO, "src", "cli", "caldp-process.ts"), ...args], {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const ended = new Promise<Awaited<Running["ended"]>>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, pid: child.pid!, ended };
}

/** Waits until `file` exists and matches `pattern` (polled every 5 ms), or fails after `timeoutMs`. */
export async function waitForText(file: string, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (existsSync(file) && pattern.test(readFileSync(file, "utf8"))) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${file} did not show ${pattern} within ${timeoutMs} ms`);
}

/** Processes whose working folder is inside `dir` (a run's steps and programs all work there). */
export function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Every file below `dir` with its sha1, size and mtime (to prove a folder was only read). */
export function folderState(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else {
        const s = statSync(path);
        const sha1 = e.isFile()
          ? createHash("sha1").update(readFileSync(path)).digest("hex")
          : e.isFIFO()
            ? "fifo"
            : "";
        state[relative(dir, path)] = `${sha1} ${s.size} ${s.mtimeMs}`;
      }
    }
  };
  walk(dir);
  return state;
}

/** Files below `dir` under final names (not our hidden temporary or lock names), relative to `dir`. */
export function finalNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => !p.split("/").some((part) => part.startsWith(".")))
    .filter((p) => statSync(join(dir, p)).isFile())
    .sort();
}

/** Hidden temporary files, locks and scratch folders below `dir`. */
export function hiddenNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => p.split("/").some((part) => part.startsWith(".")))
    .sort();
}

/** Why a final-named output file is not complete, or undefined: FITS verified, JPEG/PNG ended, text non-empty. */
export function incompleteReason(path: string): string | undefined {
  const bytes = readFileSync(path);
  if (path.endsWith(".fits")) {
    const errors = verifyFile(path).filter((p) => p.severity === "error");
    return errors.length ? errors.map((e) => e.message).join("; ") : undefined;
  }
  if (path.endsWith(".jpg")) return bytes.subarray(-2).equals(Buffer.from([0xff, 0xd9])) ? undefined : "no JPEG EOI";
  if (path.endsWith(".png")) return bytes.subarray(-8, -4).toString("latin1") === "IEND" ? undefined : "no PNG IEND";
  if (path.endsWith("_metrics.txt"))
    return /\tExit status: \d+\n$/.test(bytes.toString()) ? undefined : "no exit status";
  return bytes.length > 0 ? undefined : "empty";
}

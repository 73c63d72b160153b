// caldp's native engine against hstcal's C programs (calacs.e, calwf3.e) in the same run, on the same simulated
// raws and references: full-frame ACS/WFC CR-SPLIT ×2 and ×4, ACS/HRC CR-SPLIT ×2 (hrc2), WFC3/UVIS CR-SPLIT ×2, WFC3/IR NSAMP=16, STIS/CCD
// CR-SPLIT ×2 (1062×1044 with the overscan; cs0.e), the STIS/CCD G430L long slit CR-SPLIT ×2 with its wavecal
// through sx2 and sx1 (stis2spec), and on request the CTE cases: ACS/WFC ×2 with PCTECORR (acs2cte:
// _flt, _flc, _crj, _crc; simulated trails, PCTETAB and DRKCFILE) and WFC3/UVIS ×2 with PCTECORR (uvis2cte).
// usage: npm run build && HSTCAL_BIN=/path/to/hstcal/bin node --import tsx bench/hstcal-compare.ts
//        [--runs N (3)] [--cases acs2,acs4,hrc2,acs2cte,uvis2,ir16,stis2,stis2spec,uvis2cte (default acs2,acs4,uvis2,ir16)]
//        [--epoch post-sm4|pre-sm4] [--seed N (11)] [--baseline DIR]
// Ours is `caldp calacs|calwf3` as built (node dist/cli/caldp.js; a build older than src/calib, src/engine or
// src/fits is refused), the C programs run with OMP_NUM_THREADS=2. Each run is its own process under
// /usr/bin/time (wall, user + sys CPU, peak RSS) in a fresh copy of the raw files; the sides alternate (ours
// first on run 0, the next side first on run 1, …) and the table gives the best of N by wall, with the medians beside.
// Without HSTCAL_BIN (or when it lacks a program) it says so and runs ours only. --baseline DIR times another
// build of caldp (DIR/cli/caldp.js, e.g. main's dist) in the same alternation, for before/after figures.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { type SimulateOptions, simulateDataset } from "../src/sim/index.js";
import { best, builtModule, median, option, type Sample, timed } from "./timed-process.js";

const WALL_GOAL = 0.25;

/** Each of our programs: hstcal's C program and the environment variable naming the reference folder. */
const C_PROGRAMS = {
  calacs: { binary: "calacs.e", variable: "jref" },
  calwf3: { binary: "calwf3.e", variable: "iref" },
  calstis: { binary: "cs0.e", variable: "oref" },
} as const;

interface Case {
  name: string;
  label: string;
  program: keyof typeof C_PROGRAMS;
  simulation: Omit<SimulateOptions, "out" | "seed">;
}

function cases(epoch: "pre-sm4" | "post-sm4"): Case[] {
  const acs = (n: number): Case => ({
    name: `acs${n}`,
    label: `ACS/WFC ${epoch} CR-SPLIT ×${n}`,
    program: "calacs",
    simulation: { dataset: "j8cb010b0", detector: "WFC", exposures: n, epoch },
  });
  return [
    acs(2),
    acs(4),
    {
      name: "hrc2",
      label: "ACS/HRC CR-SPLIT ×2",
      program: "calacs",
      simulation: { dataset: "j8cb020b0", detector: "HRC", exposures: 2 },
    },
    {
      name: "acs2cte",
      label: `ACS/WFC ${epoch} CR-SPLIT ×2 with PCTECORR`,
      program: "calacs",
      simulation: { dataset: "j8cb010b0", detector: "WFC", exposures: 2, epoch, cte: true },
    },
    {
      name: "uvis2",
      label: "WFC3/UVIS CR-SPLIT ×2",
      program: "calwf3",
      simulation: { dataset: "iabc01020", detector: "UVIS", exposures: 2 },
    },
    {
      name: "uvis2cte",
      label: "WFC3/UVIS CR-SPLIT ×2 PCTECORR",
      program: "calwf3",
      simulation: { dataset: "iabc01030", detector: "UVIS", exposures: 2, cte: true, dateObs: "2016-03-02T10:11:12Z" },
    },
    // The simulator counts the reads after the zeroth one; NSAMP in the header counts them all.
    {
      name: "ir16",
      label: "WFC3/IR NSAMP=16",
      program: "calwf3",
      simulation: { dataset: "iabc01xyq", detector: "IR", nsamp: 15 },
    },
    {
      name: "stis2",
      label: "STIS/CCD CR-SPLIT ×2",
      program: "calstis",
      simulation: { dataset: "o8ab01010", detector: "CCD", exposures: 2 },
    },
    {
      name: "stis2spec",
      label: "STIS/CCD long slit CR-SPLIT ×2 (wavecal, sx2, sx1)",
      program: "calstis",
      simulation: { dataset: "o8ab02010", spectroscopic: true },
    },
  ];
}

interface Prepared {
  c: Case;
  simDir: string;
  input: string;
  inputs: string[];
  env: NodeJS.ProcessEnv;
}

function prepare(c: Case, scratch: string, seed: number): Prepared {
  const simDir = join(scratch, c.name, "sim");
  const sim = simulateDataset({ ...c.simulation, out: simDir, seed });
  const inputs = readdirSync(simDir).filter((f) => /_(raw|asn|wav)\.fits$/.test(f));
  const variable = C_PROGRAMS[c.program].variable;
  return {
    c,
    simDir,
    input: basename(sim.asn ?? sim.exposures[0].raw),
    inputs,
    env: { ...process.env, [variable]: `${sim.referenceDir}/` },
  };
}

/** The calibrated products a run left in `dir`. */
function products(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /_(flt|crj|flc|crc|ima|sx2|x2d|sx1|x1d)\.fits$/.test(f))
    .sort();
}

/** One timed run in a fresh copy of the inputs (the programs write beside them and refuse to overwrite). */
function runOnce(p: Prepared, run: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
  const dir = join(p.simDir, "..", run);
  mkdirSync(dir);
  for (const f of p.inputs) copyFileSync(join(p.simDir, f), join(dir, f));
  let sample: Sample;
  try {
    sample = timed(command, [...args, p.input], dir, env);
  } catch (error) {
    const { status, stdout, stderr } = error as { status?: number; stdout?: string; stderr?: string };
    const said = `${stdout ?? ""}${stderr ?? ""}`.trim().split("\n").slice(-3).join(" / ");
    throw new Error(`${p.c.label}: ${basename(command)} on ${p.input} in ${dir} exited ${status}: ${said}`);
  }
  const made = products(dir);
  rmSync(dir, { recursive: true, force: true });
  return { sample, made };
}

/** One program timed in the alternation: ours (built dist/), another build of ours, or the C program. */
interface Side {
  name: string;
  command: (p: Prepared) => [string, string[], NodeJS.ProcessEnv];
}

function caldpSide(name: string, cli: string): Side {
  return { name, command: (p) => [process.execPath, [cli, p.c.program], p.env] };
}

function hstcalSide(bin: string): Side {
  return {
    name: "C",
    command: (p) => [join(bin, C_PROGRAMS[p.c.program].binary), [], { ...p.env, OMP_NUM_THREADS: "2" }],
  };
}

interface Measured {
  label: string;
  /** Samples of each side, in the order of `sides`. */
  samples: Sample[][];
  sameProducts: boolean;
}

/** Runs every side `runs` times, rotating which goes first; checks that all made the same products. */
function measure(p: Prepared, runs: number, sides: Side[]): Measured {
  const samples: Sample[][] = sides.map(() => []);
  const made: string[][] = sides.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (let n = 0; n < sides.length; n++) {
      const s = (n + r) % sides.length;
      const [command, args, env] = sides[s].command(p);
      const run = runOnce(p, `${sides[s].name}-${r}`, command, args, env);
      samples[s].push(run.sample);
      made[s] = run.made;
    }
  }
  const sameProducts = made.every((m) => m.join(" ") === made[0].join(" "));
  if (!sameProducts) {
    console.error(
      `${p.c.label}: products differ: ${sides.map((s, n) => `${s.name}: ${made[n].join(" ")}`).join("; ")}`,
    );
  }
  return { label: p.c.label, samples, sameProducts };
}

const cell = (s: Sample) => `${s.wall.toFixed(2)} s / ${s.cpu.toFixed(1)} s / ${s.rssMb.toFixed(0)} MB`;
const medianWall = (samples: Sample[]) => `${median(samples, "wall").toFixed(2)} s`;

/** The table's layout: the C program's column (−1 without it) and caldp's builds. */
function layout(sides: Side[]) {
  const c = sides.findIndex((s) => s.name === "C");
  const others = sides.map((s, n) => ({ s, n })).filter(({ n }) => n !== c);
  return { c, others };
}

function printHeader(sides: Side[]): void {
  const { c, others } = layout(sides);
  const head = others.map(({ s }) => `${s.name} wall / CPU / RSS`);
  const ratios = c < 0 ? [] : others.flatMap(({ s }) => [`${s.name} wall ratio`, `${s.name} RSS ratio`]);
  const columns = ["case", ...head, ...(c < 0 ? [] : ["C wall / CPU / RSS"]), ...ratios, "median walls", "load"];
  console.log(`\n| ${columns.join(" | ")} |`);
  console.log(`|${columns.map(() => "---").join("|")}|`);
}

/** One case's row, printed as soon as it is measured (a later failure keeps it). */
function printRow(m: Measured, sides: Side[], load: string): void {
  const { c, others } = layout(sides);
  const bests = m.samples.map(best);
  const cells = others.map(({ n }) => cell(bests[n]));
  if (c >= 0) {
    cells.push(cell(bests[c]));
    for (const { n } of others) {
      cells.push(`${(bests[n].wall / bests[c].wall).toFixed(2)}×`, `${(bests[n].rssMb / bests[c].rssMb).toFixed(2)}×`);
    }
  }
  cells.push(sides.map((s, n) => `${s.name} ${medianWall(m.samples[n])}`).join(", "), load);
  const label = m.sameProducts ? m.label : `${m.label} (products differ)`;
  console.log(`| ${label} | ${cells.join(" | ")} |`);
}

function printGoals(rows: Measured[], sides: Side[], runs: number): void {
  console.log(`\nBest of ${runs} by wall; ratio = caldp / C (the goal: wall ≤ ${WALL_GOAL}×, RSS ≤ 1×).`);
  const { c } = layout(sides);
  if (c < 0) return;
  for (const m of rows) {
    const a = best(m.samples[0]);
    const b = best(m.samples[c]);
    const wall = a.wall <= WALL_GOAL * b.wall ? "met" : "not met";
    const rss = a.rssMb <= b.rssMb ? "met" : "not met";
    console.log(`- ${m.label}: wall ≤ ${WALL_GOAL}× C ${wall}; RSS ≤ C ${rss}`);
  }
}

const loadAverages = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

/** The folder of the C programs, or undefined (said on stderr) when HSTCAL_BIN does not name one with `needed`. */
function hstcalBin(needed: string[]): string | undefined {
  const bin = process.env.HSTCAL_BIN;
  if (!bin) {
    console.error("hstcal-compare: HSTCAL_BIN is not set: running caldp only, without the C programs");
    return undefined;
  }
  const missing = needed.filter((p) => !existsSync(join(bin, p)));
  if (missing.length > 0) {
    console.error(`hstcal-compare: ${bin} has no ${missing.join(", ")}: running caldp only`);
    return undefined;
  }
  return bin;
}

function main(): void {
  const runs = Number(option("--runs", "3"));
  const seed = Number(option("--seed", "11"));
  const epoch = option("--epoch", "post-sm4") as "pre-sm4" | "post-sm4";
  const wanted = option("--cases", "acs2,acs4,uvis2,ir16").split(",");
  const all = cases(epoch);
  const chosen = wanted.flatMap((name) => all.filter((c) => c.name === name));
  if (chosen.length === 0)
    throw new Error(`--cases: none of ${wanted.join(",")} is ${all.map((c) => c.name).join(", ")}`);
  const sides = [caldpSide("caldp", builtModule("cli/caldp.js"))];
  const baseline = option("--baseline", "");
  if (baseline) sides.push(caldpSide("baseline", resolve(baseline, "cli", "caldp.js")));
  const hstcal = hstcalBin([...new Set(chosen.map((c) => C_PROGRAMS[c.program].binary))]);
  if (hstcal) sides.push(hstcalSide(hstcal));
  const against = hstcal ? `hstcal in ${hstcal} (OMP_NUM_THREADS=2)` : "nothing";
  console.log(`caldp (built dist/)${baseline ? `, baseline ${baseline}` : ""} against ${against}; seed ${seed}`);
  console.log("load: the 1, 5 and 15 min load averages when the case started (2 cores here)");
  printHeader(sides);
  const scratch = mkdtempSync(join(tmpdir(), "caldp-bench-hstcal-"));
  const rows: Measured[] = [];
  try {
    for (const c of chosen) {
      const load = loadAverages();
      const m = measure(prepare(c, scratch, seed), runs, sides);
      rmSync(join(scratch, c.name), { recursive: true, force: true });
      rows.push(m);
      printRow(m, sides, load);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  printGoals(rows, sides, runs);
}

main();

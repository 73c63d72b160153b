// caldp calcos against STScI's calcos on one simulated COS NUV TIME-TAG exposure of --events events (10⁷ by
// default), rawtag → corrtag, counts, flt, x1d, in the same run; with --fuv an FUV G130M exposure of as many
// events over segments A and B, rawtag_a/_b → corrtag, counts, flt per segment (FUV x1d is not native yet).
// usage: npm run build && CALCOS=<venv>/bin/calcos node --import tsx bench/cos-timetag.ts
//        [--events N (1e7)] [--runs N (1)] [--seed N (7)] [--tagflash (two lamp flashes: WAVECORR from them)]
//        [--fuv]
// Ours is `caldp calcos --verbose` as built (dist/; refused when older than src/), calcos runs through
// bench/peers/calcos_stages.py with the venv's python beside CALCOS, which times its steps where timetag.py calls
// them. Each run is its own process under /usr/bin/time (wall, CPU, peak RSS) writing into a fresh folder; the
// sides alternate. Without CALCOS (or when it is missing) it says so and runs ours only.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { simulateCosFuv } from "../src/sim/cos-fuv.js";
import { simulateCosNuv } from "../src/sim/index.js";
import { printTable } from "./report.js";
import { best, builtModule, median, option, type Sample, timed } from "./timed-process.js";

const WALL_GOAL = 10;
/** The simulator's good time (s) and its source : background ratio. */
const GOOD_TIME = 280;
const BACKGROUND_SHARE = 1 / 11;
/** FUV: good time (s), stim events per second and segment, source : background : dark (src/sim/cos-fuv.ts). */
const FUV_GOOD_TIME = 260;
const FUV_STIM_RATE = 30;
const FUV_SHARES = [1500, 300, 40].map((r) => r / 1840);
const STAGES = [
  "read",
  "randcorr",
  "tempcorr",
  "geocorr",
  "walkcorr",
  "deadcorr",
  "phacorr",
  "doppcorr",
  "flatcorr",
].concat(["wavecorr", "brstcorr", "dqicorr", "images", "timeline", "x1dcorr"]);

interface Side {
  name: string;
  command: (input: string, out: string) => [string, string[]];
}

/** Seconds per stage from the `TIMETAG stage NAME: S s` lines of a verbose run (a stage seen twice is summed). */
function stageSeconds(output: string): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const [, name, s] of output.matchAll(/^TIMETAG stage (.+): ([\d.]+) s$/gm)) {
    seconds.set(name, (seconds.get(name) ?? 0) + Number(s));
  }
  return seconds;
}

function calcosSide(): Side | undefined {
  const calcos = process.env.CALCOS;
  const python = calcos ? join(dirname(calcos), "python3") : "";
  if (!calcos || !existsSync(calcos) || !existsSync(python)) {
    const why = calcos ? `${calcos} or ${python} is missing` : "CALCOS is not set";
    console.error(`cos-timetag: ${why}: running caldp calcos only, without calcos`);
    return undefined;
  }
  const stages = join(import.meta.dirname, "peers", "calcos_stages.py");
  return { name: "calcos", command: (input, out) => [python, [stages, "-o", out, input]] };
}

function measure(
  sides: Side[],
  dir: string,
  input: string,
  env: NodeJS.ProcessEnv,
  runs: number,
  products: number,
): Sample[][] {
  const samples: Sample[][] = sides.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (let k = 0; k < sides.length; k++) {
      const n = (run + k) % sides.length;
      const out = join(dir, `out-${sides[n].name}-${run}`);
      mkdirSync(out);
      const [command, args] = sides[n].command(input, out);
      try {
        samples[n].push(timed(command, args, dir, env));
      } catch (error) {
        const { status, stdout } = error as { status?: number; stdout?: string };
        const said = `${stdout ?? ""}`.trim().split("\n").slice(-3).join(" / ");
        throw new Error(`${sides[n].name} on ${input} in ${dir} exited ${status}: ${said}`);
      }
      const made = readdirSync(out).filter((f) => /_(corrtag|counts|flt)(_[ab])?\.fits$/.test(f));
      if (made.length !== products) throw new Error(`${sides[n].name} made ${made.join(", ") || "nothing"} in ${out}`);
      rmSync(out, { recursive: true, force: true });
    }
  }
  return samples;
}

function main(): void {
  const wanted = Number(option("--events", "1e7"));
  const runs = Number(option("--runs", "1"));
  const seed = Number(option("--seed", "7"));
  const cli = builtModule("cli/caldp.js"); // checked once, before the minutes of simulation
  const sides: Side[] = [
    {
      name: "caldp",
      command: (input, out) => [process.execPath, [cli, "calcos", "--verbose", "--outdir", out, input]],
    },
  ];
  const peer = calcosSide();
  if (peer) sides.push(peer);
  const scratch = mkdtempSync(join(tmpdir(), "caldp-bench-cos-"));
  try {
    const started = performance.now();
    const fuv = process.argv.includes("--fuv");
    const sim = fuv ? simulateFuv(scratch, wanted, seed) : simulateNuv(scratch, wanted, seed);
    const simulated = ((performance.now() - started) / 1000).toFixed(1);
    const what = fuv ? "FUV G130M TIME-TAG (segments A and B)" : "NUV TIME-TAG";
    console.log(`COS ${what}, ${sim.events} events (seed ${seed}), simulated in ${simulated} s; best of ${runs}`);
    console.log(
      `load averages before: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} (2 cores here)`,
    );
    const env = { ...process.env, lref: `${sim.referenceDir}/` };
    const samples = measure(sides, scratch, sim.input, env, runs, fuv ? 6 : 3);
    report(sides, samples.map(best), samples, sim.events);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function simulateNuv(scratch: string, wanted: number, seed: number) {
  const rate = wanted / GOOD_TIME;
  const sim = simulateCosNuv({
    dataset: "lbench01q",
    out: scratch,
    seed,
    sourceRate: rate * (1 - BACKGROUND_SHARE),
    backgroundRate: rate * BACKGROUND_SHARE,
    tagflash: process.argv.includes("--tagflash"),
  });
  return { input: basename(sim.rawtag), referenceDir: sim.referenceDir, events: sim.events };
}

/** Half the events on each segment; calcos is given `_rawtag_a` and takes `_rawtag_b` beside it. */
function simulateFuv(scratch: string, wanted: number, seed: number) {
  const rate = Math.max(wanted / 2 / FUV_GOOD_TIME - FUV_STIM_RATE, 1);
  const [sourceRate, backgroundRate, darkRate] = FUV_SHARES.map((share) => rate * share);
  const sim = simulateCosFuv({ dataset: "lbench02q", out: scratch, seed, sourceRate, backgroundRate, darkRate });
  return {
    input: basename(sim.rawtags.FUVA),
    referenceDir: sim.referenceDir,
    events: sim.events.FUVA + sim.events.FUVB,
  };
}

function report(sides: Side[], bests: Sample[], samples: Sample[][], events: number): void {
  const mevs = (s: number) => (s > 0 ? (events / s / 1e6).toFixed(2) : "-");
  const stages = bests.map((b) => stageSeconds(b.output));
  const rows = [...STAGES, "write corrtag", "write counts, flt, x1d"].map((stage) => {
    const row: Record<string, string> = { stage };
    sides.forEach((side, n) => {
      const s = stages[n].get(stage);
      row[`${side.name} s`] = s === undefined ? "-" : s.toFixed(3);
      row[`${side.name} Mev/s`] = s === undefined ? "-" : mevs(s);
    });
    const [ours, theirs] = stages.map((m) => m.get(stage));
    row.ratio = sides.length > 1 && ours && theirs ? `${(theirs / ours).toFixed(1)}×` : "-";
    return row;
  });
  printTable(
    "Stages (wall s, million events/s; calcos writes its corrtag in read and on close, its images in images)",
    rows,
  );
  const totals = sides.map((side, n) => ({
    side: side.name,
    "wall s": bests[n].wall.toFixed(2),
    "median wall s": median(samples[n], "wall").toFixed(2),
    "CPU s": bests[n].cpu.toFixed(2),
    "peak RSS MB": bests[n].rssMb.toFixed(0),
    "Mev/s": mevs(bests[n].wall),
  }));
  printTable("Whole process (/usr/bin/time)", totals);
  if (sides.length < 2) return;
  const [ours, theirs] = bests;
  const speed = theirs.wall / ours.wall;
  console.log(
    `\ncalcos / caldp wall: ${speed.toFixed(1)}× (goal ≥ ${WALL_GOAL}×: ${speed >= WALL_GOAL ? "met" : "not met"})`,
  );
  // on a shared, loaded machine the wall includes waiting for a core: the CPU ratio is the steadier figure
  console.log(`calcos / caldp CPU (user + sys): ${(theirs.cpu / ours.cpu).toFixed(1)}×`);
  const rss = ours.rssMb / theirs.rssMb;
  console.log(`caldp / calcos peak RSS: ${rss.toFixed(2)}× (goal ≤ 1×: ${rss <= 1 ? "met" : "not met"})`);
}

main();

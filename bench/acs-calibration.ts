// ACS/WFC CR-SPLIT calibration end to end (read, calibrate, reject, write): caldp's native calacs against
// Debian's ccdproc + astroscrappy (bench/peers/acs_ccdproc.py) on the same simulated raws and references.
// usage: node --import tsx bench/acs-calibration.ts [--exposures 2,4] [--runs N] [--peer-reject astroscrappy|sigmaclip]
// Each side runs as its own process under /usr/bin/time: wall, user + sys CPU and peak RSS of the whole process.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { calacs } from "../src/engine/acs/calacs.js";
import { type SimulatedDataset, simulateDataset } from "../src/sim/index.js";
import { printTable, type Row } from "./report.js";

const PYTHON = "/usr/bin/python3";
const HERE = fileURLToPath(new URL(".", import.meta.url));
const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};

interface Sample {
  wall: number;
  cpu: number;
  rssMb: number;
  output: string;
}

/** Runs a command under GNU time; the last stderr line holds "wall user sys maxrss_kb". */
function timed(command: string, args: string[], cwd: string): Sample {
  const marker = "@@time";
  const stderrFile = join(tmpdir(), `caldp-bench-time-${process.pid}.txt`);
  const output = execFileSync("/usr/bin/time", ["-o", stderrFile, "-f", `${marker} %e %U %S %M`, command, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const line = execFileSync("tail", ["-n", "1", stderrFile], { encoding: "utf8" }).trim();
  rmSync(stderrFile, { force: true });
  const [, wall, user, sys, rss] = line.split(/\s+/).map(Number);
  return { wall, cpu: user + sys, rssMb: rss / 1024, output };
}

/** The peer's configuration: the files and the simulated WFC's layout (as in its CCDTAB and OSCNTAB). */
function peerConfig(sim: SimulatedDataset): object {
  return {
    raws: sim.exposures.map((e) => e.raw),
    bias: sim.references.BIASFILE,
    dark: sim.references.DARKFILE,
    flat: sim.references.PFLTFILE,
    product: sim.product,
    chips: sim.model.chips.map((chip) => ({
      extver: chip.extver,
      rows: [chip.sciRawY0, chip.sciRawY0 + chip.sciNy],
      amps: chip.amps.map((a) => {
        const prescan = chip.amps[0].sciRawX0;
        // BIASSECTA (4 … prescan−2) for the left amp, BIASSECTB (nx−prescan+3 … nx−1) for the right one.
        const overscan = a.rawX0 === 0 ? [3, prescan - 2] : [chip.rawNx - prescan + 2, chip.rawNx - 1];
        return {
          raw: [a.rawX0, a.rawX1],
          overscan,
          science: [a.sciRawX0, a.sciRawX0 + a.sciWidth],
          column: a.sciX0,
          gain: a.gain,
          readnoise: a.readNoise,
        };
      }),
    })),
  };
}

async function childCalacs(dir: string): Promise<void> {
  await calacs(["j8cb010b0_asn.fits"], {
    dir,
    env: { jref: `${join(dir, "crds", "references", "hst")}/` },
    log: () => {},
  });
}

function best(samples: Sample[]): Sample {
  return samples.reduce((a, b) => (b.wall < a.wall ? b : a));
}

async function main(): Promise<void> {
  if (process.argv[2] === "--calacs") return childCalacs(process.argv[3]);
  const counts = option("--exposures", "2,4").split(",").map(Number);
  const runs = Number(option("--runs", "1"));
  const reject = option("--peer-reject", "astroscrappy");
  const repo = join(HERE, "..");
  const rows: Row[] = [];
  for (const n of counts) {
    const dir = mkdtempSync(join(tmpdir(), `caldp-bench-acs-${n}-`));
    const sim = simulateDataset({ dataset: "j8cb010b0", out: dir, detector: "WFC", exposures: n, seed: 11 });
    const config = join(dir, "peer.json");
    writeFileSync(config, JSON.stringify(peerConfig(sim)));
    const peerOut = join(dir, "peer");
    mkdirSync(peerOut);
    const ours: Sample[] = [];
    const theirs: Sample[] = [];
    for (let r = 0; r < runs; r++) {
      ours.push(timed(process.execPath, ["--import", "tsx", join(HERE, "acs-calibration.ts"), "--calacs", dir], repo));
      theirs.push(timed(PYTHON, [join(HERE, "peers", "acs_ccdproc.py"), config, peerOut, "--reject", reject], repo));
    }
    const a = best(ours);
    const b = best(theirs);
    const steps = JSON.parse(b.output.trim().split("\n").pop()!).times as Record<string, number>;
    rows.push({
      exposures: String(n),
      "caldp wall s": a.wall.toFixed(1),
      "caldp cpu s": a.cpu.toFixed(1),
      "caldp RSS MB": a.rssMb.toFixed(0),
      [`ccdproc+${reject} wall s`]: b.wall.toFixed(1),
      "peer cpu s": b.cpu.toFixed(1),
      "peer RSS MB": b.rssMb.toFixed(0),
      "wall ratio": (b.wall / a.wall).toFixed(1),
      "cpu ratio": (b.cpu / a.cpu).toFixed(1),
      "peer steps s": Object.entries(steps)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(", "),
    });
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(`ACS/WFC CR-SPLIT, 4096×2048×2 per exposure, best of ${runs} (ratio = peer / caldp)`, rows);
}

await main();

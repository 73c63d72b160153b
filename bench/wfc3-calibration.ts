// WFC3 calibration end to end (read, calibrate, write), caldp's native calwf3 against its Python peers on
// the same simulated raws and references:
//   IR, one MultiAccum exposure of NSAMP reads (1024², the zeroth read included, as the header's NSAMP counts
//   them; 16 is WFC3/IR's largest): a vectorised numpy WF3IR (bench/peers/wfc3_ir_ramp.py);
//   UVIS, a CR-SPLIT association of full-frame exposures: ccdproc + astroscrappy (bench/peers/wfc3_uvis_ccdproc.py).
// usage: node --import tsx bench/wfc3-calibration.ts [--runs N] [--only ir|uvis] [--nsamp 16] [--exposures 2] [--tsx]
// caldp runs its calwf3 engine as built (dist/, `npm run build` first) unless --tsx runs the sources.
// Each side is its own process under /usr/bin/time (wall, user + sys CPU, peak RSS), the sides alternate,
// and the best of N runs (by wall) is reported, with the medians beside. IR throughput is pixel-reads
// (1024² × NSAMP) per second.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type SimulatedDataset, simulateDataset } from "../src/sim/index.js";
import { printTable, type Row } from "./report.js";
import { best, engineCommand, median, option, PYTHON, REPO, type Sample, timed } from "./timed-process.js";

const HERE = fileURLToPath(new URL(".", import.meta.url));

// The child imports calwf3 alone (as caldp-process's step does), not the whole command line with its
// batch and S3 modules: argv = module URL, folder, input. (A file, not -e: eval'd worker threads would
// inherit --input-type=module.)
const CHILD = `const [module, dir, input] = process.argv.slice(2);
const { calwf3 } = await import(module);
await calwf3([input], { dir, env: process.env, log: () => {} });
`;

function caldpCommand(useTsx: boolean, scratch: string): string[] {
  return engineCommand("engine/wfc3/calwf3", CHILD, useTsx, scratch);
}

function lastJson(output: string): Record<string, unknown> {
  return JSON.parse(output.trim().split("\n").pop() ?? "{}");
}

function steps(output: string): string {
  const times = lastJson(output).times as Record<string, number>;
  return Object.entries(times)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(", ");
}

interface Case {
  label: string;
  sim: SimulatedDataset;
  caldpInput: string;
  peer: { script: string; args: string[] };
  pixelReads?: number;
}

function irCase(dir: string, nsamp: number): Case {
  // The simulator counts the reads after the zeroth one.
  const sim = simulateDataset({ dataset: "iabc01xyq", out: dir, detector: "IR", nsamp: nsamp - 1, seed: 11 });
  const peerOut = join(dir, "peer");
  mkdirSync(peerOut);
  return {
    label: `IR NSAMP=${nsamp}`,
    sim,
    caldpInput: sim.exposures[0].raw,
    peer: { script: "wfc3_ir_ramp.py", args: [sim.exposures[0].raw, sim.referenceDir, peerOut] },
    pixelReads: 1024 * 1024 * nsamp,
  };
}

function uvisCase(dir: string, exposures: number): Case {
  const sim = simulateDataset({ dataset: "iabc01020", out: dir, detector: "UVIS", exposures, seed: 11 });
  const peerOut = join(dir, "peer");
  mkdirSync(peerOut);
  const config = join(dir, "peer.json");
  const refs = sim.references;
  writeFileSync(
    config,
    JSON.stringify({
      raws: sim.exposures.map((e) => e.raw),
      bias: refs.BIASFILE,
      dark: refs.DARKFILE,
      flat: refs.PFLTFILE,
      oscntab: refs.OSCNTAB,
      ccdtab: refs.CCDTAB,
      product: sim.product,
    }),
  );
  return {
    label: `UVIS ${exposures}-exp CR-SPLIT`,
    sim,
    caldpInput: sim.asn ?? sim.exposures[0].raw,
    peer: { script: "wfc3_uvis_ccdproc.py", args: [config, peerOut] },
  };
}

/** How closely the peer's IR _flt follows caldp's (so that both did the same work). */
function agreement(c: Case): string {
  if (!c.pixelReads) return "";
  const root = c.sim.exposures[0].rootname;
  const ours = join(c.sim.out, `${root}_flt.fits`);
  const theirs = join(c.sim.out, "peer", `${root}_flt.fits`);
  const out = execFileSync(PYTHON, [join(HERE, "peers", "wfc3_ir_ramp.py"), "--compare", ours, theirs], {
    encoding: "utf8",
  });
  return `${(100 * Number(lastJson(out).within)).toFixed(2)} %`;
}

function measure(c: Case, runs: number, caldp: string[]): Row {
  const env = { ...process.env, iref: `${c.sim.referenceDir}/` };
  const ours: Sample[] = [];
  const theirs: Sample[] = [];
  for (let r = 0; r < runs; r++) {
    ours.push(timed(process.execPath, [...caldp, c.sim.out, c.caldpInput], REPO, env));
    theirs.push(timed(PYTHON, [join(HERE, "peers", c.peer.script), ...c.peer.args], REPO));
  }
  const a = best(ours);
  const b = best(theirs);
  const throughput = (s: Sample) => (c.pixelReads ? `${(c.pixelReads / s.wall / 1e6).toFixed(2)} M/s` : "-");
  return {
    case: c.label,
    "caldp wall s": a.wall.toFixed(2),
    "caldp cpu s": a.cpu.toFixed(1),
    "caldp RSS MB": a.rssMb.toFixed(0),
    "caldp px-reads": throughput(a),
    "peer wall s": b.wall.toFixed(2),
    "peer cpu s": b.cpu.toFixed(1),
    "peer RSS MB": b.rssMb.toFixed(0),
    "peer px-reads": throughput(b),
    "wall ratio": (b.wall / a.wall).toFixed(2),
    "cpu ratio": (b.cpu / a.cpu).toFixed(2),
    "median wall s caldp/peer": `${median(ours, "wall").toFixed(2)}/${median(theirs, "wall").toFixed(2)}`,
    "median cpu ratio": (median(theirs, "cpu") / median(ours, "cpu")).toFixed(2),
    "RSS ratio": (b.rssMb / a.rssMb).toFixed(2),
    "flt within 0.1 %": agreement(c),
    "peer steps s": steps(b.output),
  };
}

function main(): void {
  const runs = Number(option("--runs", "1"));
  const only = option("--only", "ir,uvis").split(",");
  const rows: Row[] = [];
  const cases: [string, (dir: string) => Case][] = [
    ["ir", (dir) => irCase(dir, Number(option("--nsamp", "16")))],
    ["uvis", (dir) => uvisCase(dir, Number(option("--exposures", "2")))],
  ];
  const scratch = mkdtempSync(join(tmpdir(), "caldp-bench-wfc3-"));
  try {
    const caldp = caldpCommand(process.argv.includes("--tsx"), scratch);
    for (const [name, make] of cases) {
      if (!only.includes(name)) continue;
      const dir = join(scratch, name);
      mkdirSync(dir);
      rows.push(measure(make(dir), runs, caldp));
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  printTable(
    `WFC3 calibration end to end, best of ${runs} (IR peer: numpy; UVIS peer: ccdproc + astroscrappy; ratio = peer / caldp)`,
    rows,
  );
}

main();

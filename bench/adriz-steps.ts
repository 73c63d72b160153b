// AstroDrizzle's median (median, nhigh=1, combine_maskpt 0.7) and driz_cr (3.5/3.0, 1.2/0.7) steps against
// drizzlepac 3.6.2's own code (stsci.image numcombine, drizCR.py's lines, in a drizzlepac venv built outside the
// repository: DRIZZLEPAC_PYTHON), same inputs, one process each: four 4096×2048 single-drizzled-like images with
// weights. Time of each step inside each process (I/O excluded), peak RSS, ratio, and whether the medians and the
// number of CR pixels agree. Without the venv, ours alone.
// usage: node --import tsx bench/adriz-steps.ts [--runs 1]
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Random } from "../src/sim/random.js";
import { printTable, type Row } from "./report.js";
import { option, REPO, timed } from "./timed-process.js";

/** A python that imports drizzlepac 3.6.2 (built outside the repository); without it, ours runs alone. */
const DRIZZLEPAC = process.env.DRIZZLEPAC_PYTHON ?? "";
const runs = Number(option("--runs", "1"));
const [N, W, H] = [4, 4096, 2048];
const dir = mkdtempSync(join(tmpdir(), "caldp-bench-adriz-"));

function makeInputs(): void {
  const random = new Random(23);
  const images = new Float32Array(N * W * H);
  const weights = new Float32Array(N * W * H);
  for (let k = 0; k < W * H; k++) {
    const sky = 40 + (random.uniform() < 0.002 ? 3000 * random.uniform() : 0);
    for (let i = 0; i < N; i++) {
      const cr = random.uniform() < 0.003 ? 800 + 4000 * random.uniform() : 0;
      images[i * W * H + k] = sky + 8 * (random.uniform() - 0.5) + cr;
      weights[i * W * H + k] = random.uniform() < 0.01 ? 0 : 900 + 200 * random.uniform();
    }
  }
  writeFileSync(join(dir, "images.f32"), new Uint8Array(images.buffer));
  writeFileSync(join(dir, "weights.f32"), new Uint8Array(weights.buffer));
  const meta = { n: N, width: W, height: H, maskpt: 0.7, nhigh: 1, gain: 1, readNoise: 4, repo: REPO };
  writeFileSync(join(dir, "meta.json"), JSON.stringify(meta));
}

interface Result {
  median: number;
  drizcr: number;
  flagged: number;
  rss: number;
}

function bestOf(command: string, args: string[]): Result {
  let best: Result = { median: Infinity, drizcr: Infinity, flagged: 0, rss: 0 };
  for (let run = 0; run < runs; run++) {
    const sample = timed(command, args, REPO);
    const r = JSON.parse(sample.output.trim().split("\n").at(-1) ?? "{}");
    best = {
      median: Math.min(best.median, r.median),
      drizcr: Math.min(best.drizcr, r.drizcr),
      flagged: r.flagged,
      rss: Math.max(best.rss, sample.rssMb),
    };
  }
  return best;
}

try {
  makeInputs();
  const ours = bestOf(process.execPath, ["--import", "tsx", join(REPO, "bench", "adriz-steps-run.ts"), dir]);
  const haveDrizzlepac = DRIZZLEPAC !== "" && existsSync(DRIZZLEPAC);
  const theirs = haveDrizzlepac ? bestOf(DRIZZLEPAC, [join(REPO, "bench", "peers", "adriz_steps.py"), dir]) : undefined;
  let medianSame = "n/a";
  if (theirs) {
    const a = readFileSync(join(dir, "median-ts.f32"));
    const b = readFileSync(join(dir, "median-py.f32"));
    medianSame = a.equals(b) ? "identical" : "DIFFERENT";
  }
  const rows: Row[] = (["median", "drizcr"] as const).map((step) => ({
    step: step === "drizcr" ? "driz_cr (4 images)" : "median of 4",
    "caldp s": ours[step].toFixed(2),
    "drizzlepac s": theirs ? theirs[step].toFixed(2) : "no venv",
    "caldp/drizzlepac": theirs ? (ours[step] / theirs[step]).toFixed(2) : "-",
    agree: step === "median" ? medianSame : theirs ? `${ours.flagged} vs ${theirs.flagged} CR px` : "-",
  }));
  rows.push({
    step: "peak RSS MB (process)",
    "caldp s": ours.rss.toFixed(0),
    "drizzlepac s": theirs ? theirs.rss.toFixed(0) : "-",
    "caldp/drizzlepac": theirs ? (ours.rss / theirs.rss).toFixed(2) : "-",
    agree: "",
  });
  printTable(
    `AstroDrizzle median + driz_cr: ${N} × ${W}×${H}, best of ${runs}${haveDrizzlepac ? "" : ` (no drizzlepac: set DRIZZLEPAC_PYTHON${DRIZZLEPAC ? `; nothing at ${DRIZZLEPAC}` : ""})`}`,
    rows,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

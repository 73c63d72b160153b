// The drizzle kernels against python drizzle 1.13's C kernels (cdrizzle.tdriz), same inputs, same run: a
// 4096×2048 chip with weights through a rotated, distorted map into a 4300×4300 frame. Per kernel: kernel time
// (inside each process, I/O excluded), time per output pixel the chip covers, ratio, peak RSS of each process,
// and the largest SCI difference between the two.
// The map is read as python drizzle 1.13.4 reads it (so that SCI can agree); --pixmap bilinear times the default.
// usage: node --import tsx bench/drizzle-kernels.ts [--kernels square,turbo,point,lanczos3] [--pixfrac 1]
//        [--pixmap drizzle-1.13.4|bilinear] [--runs 3]   (best of the runs, each side alternately, for a busy machine)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Random } from "../src/sim/random.js";
import { printTable, type Row } from "./report.js";
import { option, PYTHON, REPO, timed } from "./timed-process.js";

const kernels = option("--kernels", "square,turbo,point,lanczos3").split(",");
const pixfrac = Number(option("--pixfrac", "1"));
const interpolation = option("--pixmap", "drizzle-1.13.4");
const runs = Number(option("--runs", "3"));
const [W, H, OUT] = [4096, 2048, 4300];
const dir = mkdtempSync(join(tmpdir(), "caldp-bench-drizzle-"));

function write(name: string, a: Float32Array | Float64Array): void {
  writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** Noise and stars, weights around 1 with a few zeros, and an ACS/WFC-like map: 0.1° rotation and a distortion. */
function makeInputs(): number {
  const random = new Random(17);
  const data = new Float32Array(W * H);
  const weights = new Float32Array(W * H);
  for (let k = 0; k < data.length; k++) {
    data[k] = 50 + 10 * random.uniform() + (random.uniform() < 0.001 ? 5000 * random.uniform() : 0);
    weights[k] = random.uniform() < 0.002 ? 0 : 0.8 + 0.4 * random.uniform();
  }
  const xy = new Float64Array(2 * W * H);
  const a = (0.1 * Math.PI) / 180;
  for (let j = 0; j < H; j++) {
    for (let i = 0; i < W; i++) {
      const u = (i - W / 2) / 2048;
      const v = (j - H / 2) / 2048;
      const du = 2048 * (0.004 * u * u + 0.002 * u * v);
      const dv = 2048 * (0.003 * v * v - 0.001 * u * u);
      const x = i - W / 2 + du;
      const y = j - H / 2 + dv;
      xy[2 * (j * W + i)] = OUT / 2 + Math.cos(a) * x - Math.sin(a) * y;
      xy[2 * (j * W + i) + 1] = OUT / 2 - 600 + Math.sin(a) * x + Math.cos(a) * y;
    }
  }
  write("input.f32", data);
  write("weights.f32", weights);
  write("pixmap.f64", xy);
  writeFileSync(
    join(dir, "meta.json"),
    JSON.stringify({ width: W, height: H, outWidth: OUT, outHeight: OUT, scale: 1, pixfrac, interpolation }),
  );
  return W * H;
}

function floats(name: string): Float32Array {
  const b = readFileSync(join(dir, name));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

try {
  const covered = makeInputs();
  const rows: Row[] = [];
  for (const kernel of kernels) {
    const best = { ts: Number.POSITIVE_INFINITY, c: Number.POSITIVE_INFINITY, tsRss: 0, cRss: 0 };
    for (let run = 0; run < runs; run++) {
      const ours = timed(
        process.execPath,
        ["--import", "tsx", join(REPO, "bench", "drizzle-kernels-run.ts"), dir, kernel],
        REPO,
      );
      const theirs = timed(PYTHON, [join(REPO, "bench", "peers", "drizzle_kernels.py"), dir, kernel], REPO);
      best.ts = Math.min(best.ts, JSON.parse(ours.output).seconds);
      best.c = Math.min(best.c, JSON.parse(theirs.output).seconds);
      best.tsRss = Math.max(best.tsRss, ours.rssMb);
      best.cRss = Math.max(best.cRss, theirs.rssMb);
    }
    const tsSeconds = best.ts;
    const cSeconds = best.c;
    const a = floats("sci-ts.f32");
    const b = floats("sci-c.f32");
    let maxRel = 0;
    for (let k = 0; k < a.length; k++) {
      if (a[k] === b[k]) continue;
      maxRel = Math.max(maxRel, Math.abs(a[k] - b[k]) / Math.max(Math.abs(a[k]), Math.abs(b[k])));
    }
    rows.push({
      kernel,
      "caldp s": tsSeconds.toFixed(2),
      "C s": cSeconds.toFixed(2),
      "caldp ns/px": ((tsSeconds / covered) * 1e9).toFixed(1),
      "C ns/px": ((cSeconds / covered) * 1e9).toFixed(1),
      "caldp/C": (tsSeconds / cSeconds).toFixed(2),
      "caldp RSS MB": best.tsRss.toFixed(0),
      "C RSS MB": best.cRss.toFixed(0),
      "max rel. SCI diff": maxRel.toExponential(1),
    });
  }
  printTable(
    `drizzle kernels: ${W}×${H} input (pixfrac ${pixfrac}, map read ${interpolation}) into ${OUT}×${OUT}, one process each, best of ${runs}`,
    rows,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

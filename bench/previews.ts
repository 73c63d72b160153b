// Preview throughput: full-size and thumbnail JPEG previews of a 4096×4096 drz and a two-chip ACS/WFC flt,
// caldp against a numpy + Pillow implementation of the same stretch (bench/peers/previews.py).
// usage: node --import tsx bench/previews.ts [--runs N]
// Each measurement is a fresh child process (read + resize + stretch + JPEG for both sizes); peak RSS is
// the child's. Needs /usr/bin/python3 with numpy, astropy and Pillow (Debian: python3-pil).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FitsWriter, Header } from "../src/fits/index.js";
import { writeImagePreviews } from "../src/previews/index.js";
import { Random } from "../src/sim/random.js";
import { printTable, type Row } from "./report.js";

const PYTHON = "/usr/bin/python3";

interface Sample {
  seconds: number;
  /** User + system CPU time of the timed part (all threads): steadier than wall time on a busy machine. */
  cpuSeconds: number;
  maxRssKb: number;
}

/** Seeded uniform numbers, so that every run and both peers see the same pixels. */
function noise(seed: number): () => number {
  const random = new Random(seed);
  return () => random.uniform();
}

/** Sky + noise + stars; `edge` pixels of zeros around a drizzled footprint. */
function sky(width: number, height: number, seed: number, edge: number): Float32Array {
  const rand = noise(seed);
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const outside = x < edge || y < edge || x >= width - edge || y >= height - edge;
      data[y * width + x] = outside ? 0 : 0.05 + rand() * 0.02 + (rand() < 0.002 ? rand() * 50 : 0);
    }
  }
  return data;
}

function makeDrz(path: string): void {
  const w = new FitsWriter(path, { checksum: false });
  w.writeImage(new Header().set("INSTRUME", "ACS").set("DETECTOR", "WFC"));
  w.writeImage(new Header().set("EXTNAME", "SCI").set("EXTVER", 1), sky(4096, 4096, 3, 150), [4096, 4096]);
  w.close();
}

function makeFlt(path: string): void {
  const w = new FitsWriter(path, { checksum: false });
  w.writeImage(new Header().set("INSTRUME", "ACS").set("DETECTOR", "WFC"));
  const rand = noise(4);
  for (let chip = 1; chip <= 2; chip++) {
    const sci = sky(4096, 2048, chip, 0).map((v) => v * 1000 + 40);
    const dq = new Int16Array(sci.length);
    for (let i = 0; i < dq.length; i++) dq[i] = rand() < 0.01 ? 16 : 0;
    const h = (name: string) => new Header().set("EXTNAME", name).set("EXTVER", chip);
    w.writeImage(h("SCI").set("CCDCHIP", 3 - chip), sci, [4096, 2048]);
    w.writeConstantImage(h("ERR"), 1, [4096, 2048], -32);
    w.writeImage(h("DQ"), dq, [4096, 2048]);
  }
  w.close();
}

/** Child-process body: both previews of one product as `caldp previews` writes them, timed; prints JSON. */
async function worker(file: string, outDir: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await writeImagePreviews(file, outDir);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(JSON.stringify({ seconds, cpuSeconds, maxRssKb: process.resourceUsage().maxRSS }));
}

function run(command: string[]): Sample {
  return JSON.parse(execFileSync(command[0], command.slice(1), { encoding: "utf8" }));
}

async function main(): Promise<void> {
  const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 3;
  const dir = mkdtempSync(join(tmpdir(), "caldp-bench-previews-"));
  try {
    const products: [string, string][] = [
      ["drz 4096×4096 f32", join(dir, "bench_drz.fits")],
      ["flt 2 × 4096×2048 f32 + DQ (mosaic)", join(dir, "bench_flt.fits")],
    ];
    makeDrz(products[0][1]);
    makeFlt(products[1][1]);
    const rows: Row[] = [];
    for (const [name, file] of products) {
      const node = [process.execPath, "--import", "tsx", import.meta.filename, "--worker", file, dir];
      const py = [PYTHON, join(import.meta.dirname, "peers", "previews.py"), file, dir];
      const ours: Sample[] = [];
      const peer: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        ours.push(run(node));
        peer.push(run(py));
      }
      const best = (samples: Sample[], key: "seconds" | "cpuSeconds") => Math.min(...samples.map((s) => s[key]));
      const median = (samples: Sample[], key: "seconds" | "cpuSeconds") => {
        const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
        return sorted[Math.floor((sorted.length - 1) / 2)];
      };
      const wall = [best(ours, "seconds"), best(peer, "seconds")];
      const cpu = [best(ours, "cpuSeconds"), best(peer, "cpuSeconds")];
      const cpuMedian = [median(ours, "cpuSeconds"), median(peer, "cpuSeconds")];
      rows.push({
        product: name,
        "caldp s": wall[0].toFixed(3),
        "numpy+Pillow s": wall[1].toFixed(3),
        ratio: (wall[1] / wall[0]).toFixed(2),
        "caldp cpu s": cpu[0].toFixed(3),
        "peer cpu s": cpu[1].toFixed(3),
        "cpu ratio": (cpu[1] / cpu[0]).toFixed(2),
        "median cpu ratio": (cpuMedian[1] / cpuMedian[0]).toFixed(2),
        "caldp RSS MB": (Math.max(...ours.map((s) => s.maxRssKb)) / 1024).toFixed(0),
        "peer RSS MB": (Math.max(...peer.map((s) => s.maxRssKb)) / 1024).toFixed(0),
      });
    }
    printTable(
      `Previews (thumbnail 128 + full size JPEG q75, read included), best of ${runs} (wall and CPU time each, and the ratio of the median CPU times); ratio = peer / caldp (> 1: caldp faster)`,
      rows,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes("--worker")) {
  const at = process.argv.indexOf("--worker");
  await worker(process.argv[at + 1], process.argv[at + 2]);
} else await main();

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
import { writeAtomically } from "../src/previews/atomic.js";
import { previewJpeg, readPicture } from "../src/previews/index.js";
import { Random } from "../src/sim/random.js";
import { printTable, type Row } from "./report.js";

const PYTHON = "/usr/bin/python3";

interface Sample {
  seconds: number;
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

/** Child-process body: both previews of one product, timed; prints JSON. */
async function worker(file: string, outDir: string): Promise<void> {
  const started = performance.now();
  const picture = readPicture(file);
  for (const [suffix, size] of [
    ["_thumb", 128],
    ["", -1],
  ] as const) {
    writeAtomically(join(outDir, `caldp${suffix}.jpg`), await previewJpeg(picture, size));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, maxRssKb: process.resourceUsage().maxRSS }));
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
      let ours: Sample | undefined;
      let peer: Sample | undefined;
      for (let i = 0; i < runs; i++) {
        const a = run(node);
        const b = run(py);
        if (!ours || a.seconds < ours.seconds) ours = a;
        if (!peer || b.seconds < peer.seconds) peer = b;
      }
      rows.push({
        product: name,
        "caldp s": ours!.seconds.toFixed(3),
        "numpy+Pillow s": peer!.seconds.toFixed(3),
        ratio: (peer!.seconds / ours!.seconds).toFixed(2),
        "caldp RSS MB": (ours!.maxRssKb / 1024).toFixed(0),
        "peer RSS MB": (peer!.maxRssKb / 1024).toFixed(0),
      });
    }
    printTable(
      `Previews (thumbnail 128 + full size JPEG q75, read included), best of ${runs}; ratio = peer / caldp (> 1: caldp faster)`,
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

// Our median and driz_cr steps on the raw files bench/adriz-steps.ts wrote (its child process, so that its peak RSS
// is its own). usage: node --import tsx bench/adriz-steps-run.ts DIR
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { numCombine, weightMasks } from "../src/calib/drizzle/combine.js";
import { crMask } from "../src/calib/drizzle/driz-cr.js";

const [dir] = process.argv.slice(2);
const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
const size = meta.width * meta.height;
function stack(name: string): Float32Array[] {
  const b = readFileSync(join(dir, name));
  const all = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return Array.from({ length: meta.n }, (_, i) => all.subarray(i * size, (i + 1) * size));
}
const images = stack("images.f32");
const weights = stack("weights.f32");
let start = performance.now();
const median = numCombine(images, meta.width, weightMasks(weights, meta.maskpt), { type: "median", nhigh: meta.nhigh });
const medianSeconds = (performance.now() - start) / 1000;
start = performance.now();
let flagged = 0;
for (const image of images) {
  const mask = crMask(image, median, meta.width, meta.height, { gain: meta.gain, readNoise: meta.readNoise });
  for (const m of mask) if (!m) flagged++;
}
const drizcrSeconds = (performance.now() - start) / 1000;
writeFileSync(join(dir, "median-ts.f32"), new Uint8Array(median.buffer));
console.log(JSON.stringify({ median: medianSeconds, drizcr: drizcrSeconds, flagged }));

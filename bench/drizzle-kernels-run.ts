// One drizzle kernel run of ours on the raw files bench/drizzle-kernels.ts wrote (its child process, so that its
// peak RSS is its own). usage: node --import tsx bench/drizzle-kernels-run.ts DIR KERNEL
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createFrame, drizzle } from "../src/calib/drizzle/drizzle.js";
import type { DrizzleKernel, PixmapInterpolation } from "../src/calib/drizzle/types.js";

const [dir, kernel] = process.argv.slice(2);
const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
function raw(name: string): ArrayBuffer {
  const b = readFileSync(join(dir, name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
const input = { width: meta.width, height: meta.height, data: new Float32Array(raw("input.f32")) };
const weights = new Float32Array(raw("weights.f32"));
const map = {
  width: meta.width,
  height: meta.height,
  xy: new Float64Array(raw("pixmap.f64")),
  interpolation: meta.interpolation as PixmapInterpolation,
};
const frame = createFrame(meta.outWidth, meta.outHeight);
const start = performance.now();
drizzle(input, weights, map, frame, { kernel: kernel as DrizzleKernel, scale: meta.scale, pixfrac: meta.pixfrac });
const seconds = (performance.now() - start) / 1000;
writeFileSync(join(dir, "sci-ts.f32"), new Uint8Array(frame.sci.buffer));
console.log(JSON.stringify({ seconds }));

// Compiles the WebAssembly kernels (wasm/*.ts, AssemblyScript) into dist, next to the TypeScript that loads them:
// wasm/reject-kernels.ts → dist/calib/common/reject-kernels.wasm, wasm/cte-kernels.ts → dist/calib/common/cte/. Part of `npm run build`.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = [
  { source: "wasm/reject-kernels.ts", output: "dist/calib/common/reject-kernels.wasm" },
  { source: "wasm/image-kernels.ts", output: "dist/calib/common/image-kernels.wasm" },
  { source: "wasm/cte-kernels.ts", output: "dist/calib/common/cte/cte-kernels.wasm" },
];

for (const { source, output } of modules) {
  mkdirSync(join(root, dirname(output)), { recursive: true });
  const args = [source, "-O3", "--runtime", "stub", "--noAssert", "--enable", "simd", "-o", output];
  const { error } = await asc.main(args, { stdout: process.stdout, stderr: process.stderr, baseDir: root });
  if (error) {
    console.error(`${source}: ${error.message}`);
    process.exit(1);
  }
}

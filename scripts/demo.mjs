#!/usr/bin/env node
// The README's main job: simulate an ACS/WFC CR-SPLIT association (raw files, reference files, a CRDS cache
// and the noiseless truth), then calibrate it end to end with caldp-process and the native engine.
// No network. Usage: node scripts/demo.mjs [folder=out/demo]
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(process.argv[2] ?? "out/demo");
const dataset = "j8cb010b0";
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });
const caldp = resolve("dist/cli/caldp.js");

function run(args, cwd) {
  const result = spawnSync(process.execPath, args, { cwd, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`demo: '${args.slice(1).join(" ")}' exited with ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

run([caldp, "sim", dataset, "--out", join(root, "inputs")], root);
writeFileSync(join(root, "demo.cfg"), `CRDS_PATH=${join(root, "inputs", "crds")}\nCRDS_READONLY_CACHE=1\n`);
run([resolve("dist/cli/caldp-process.js"), dataset, "file:inputs", "file:outputs", join(root, "demo.cfg")], root);

const products = join(root, "outputs", dataset);
console.log(`\nproducts:  ${products}`);
for (const name of readdirSync(products).sort()) console.log(`           ${name}`);
console.log(`previews:  ${join(products, "previews")}: ${readdirSync(join(products, "previews")).length} files`);
console.log(`logs:      ${join(products, "logs")}`);
console.log(`messages:  ${join(root, "messages")}: ${readdirSync(join(root, "messages")).join(" ")}`);
console.log(`truth:     ${join(root, "inputs", "truth")}`);

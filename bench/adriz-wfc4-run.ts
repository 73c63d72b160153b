// Ours on bench/adriz-wfc4.ts's simulated flts, as caldp-process's stage 2 runs it, from the built engine (dist/):
// updatewcs on each flt (into DIR/ours), then the drizzle stage on the association → DIR/ours/<asn>_drz.fits;
// then, apart, the square kernel alone on the first chip (single thread, map made beforehand) for the per-output-
// pixel comparison. Prints the seconds of each step as JSON (the stage's own steps by their AstroDrizzle names).
// usage: node --import tsx bench/adriz-wfc4-run.ts DIR [DIST OUT]: DIST another build (default dist/), its products
// into DIR/OUT (default ours)
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { builtModule } from "./timed-process.js";

const [dir, dist, outName = "ours"] = process.argv.slice(2);
const load = async (module: string) => import(pathToFileURL(dist ? join(dist, module) : builtModule(module)).href);
const { updateWcsFile } = await load("engine/updatewcs-file.js");
const { drizzleInputs } = await load("engine/drizzle/run.js");
const { readChips } = await load("engine/drizzle/inputs.js");
const { createFrame, drizzle } = await load("calib/drizzle/drizzle.js");
const { pixelMap } = await load("wcs/index.js");

const out = join(dir, outName);
mkdirSync(out, { recursive: true });
const flts = readdirSync(dir).filter((f) => f.endsWith("_flt.fits"));
const asn = readdirSync(dir).find((f) => f.endsWith("_asn.fits"))!;
let start = performance.now();
for (const f of flts) updateWcsFile(join(dir, f), join(out, f), { ...process.env, jref: `${join(dir, "jref")}/` });
const updatewcs = (performance.now() - start) / 1000;
copyFileSync(join(dir, asn), join(out, asn));
start = performance.now();
const [product] = await drizzleInputs([join(out, asn)], { kernel: "square", pixfrac: 1 });
const drizzleSeconds = (performance.now() - start) / 1000;

// the kernel alone: chip [SCI,1] of the first exposure onto the product's frame, one thread
const chip = readChips(join(out, flts.sort()[0]))[0];
const frame = product.result.frame;
const map = { width: chip.width, height: chip.height, xy: pixelMap(chip.wcs, frame.wcs, chip.width, chip.height) };
const single = createFrame(frame.width, frame.height, 1);
const scale = frame.scale / Number(chip.header.get("IDCSCALE"));
start = performance.now();
drizzle({ width: chip.width, height: chip.height, data: chip.sci }, undefined, map, single, {
  kernel: "square",
  scale,
});
const kernel = (performance.now() - start) / 1000;
let covered = 0;
for (const w of single.wht) if (w > 0) covered++;
const steps = Object.fromEntries(
  product.result.steps
    .filter((s: { ran: boolean }) => s.ran)
    .map((s: { name: string; seconds: number }) => [s.name, s.seconds]),
);
console.log(JSON.stringify({ updatewcs, drizzle: drizzleSeconds, kernel, covered, product: product.path, ...steps }));

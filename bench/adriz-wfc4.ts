// A full-frame ACS/WFC 4-exposure dither (src/sim/dither-wfc.ts: 4 × 2 chips of 4096×2048), flt → drz with every
// step the native stage has (updatewcs, static mask, sky, driz_separate, median, blot, driz_cr, the final drizzle:
// square, pixfrac 1, EXP weights), side by side in one run on the same flts: ours (built engine,
// bench/adriz-wfc4-run.ts), AstroDrizzle itself with the same steps and parameters (stwcs updatewcs + AstroDrizzle,
// bench/peers/adriz_wfc4_astrodrizzle.py) when DRIZZLEPAC_PYTHON names a drizzlepac venv's python, and a numpy
// pipeline on python drizzle's C kernels doing the final drizzle alone (Debian python3-drizzle; it reads the WCS
// our updatewcs wrote, Debian having no stwcs). Wall, CPU and peak RSS of each whole process (GNU time), the
// steps' seconds inside it (ours from the stage's records, AstroDrizzle's from its own timing report), ratios,
// the total flux of the products, and the square kernel alone on one chip in ns per output pixel it covers.
// --baseline DIST runs another build of ours (e.g. main's dist) first on the same flts, in its own column, and says
// whether its drz has the same SCI, WHT and CTX bits.
// usage: npm run build && npm run bench -- adriz-wfc4 [--runs 1] [--keep DIR (kept; its flts reused when there)]
//        [--baseline DIST]
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FitsFile } from "../src/fits/index.js";
import { simulateWfcDither } from "../src/sim/dither-wfc.js";
import { printTable, type Row } from "./report.js";
import { option, PYTHON, REPO, type Sample, timed } from "./timed-process.js";

const DRIZZLEPAC = process.env.DRIZZLEPAC_PYTHON ?? "";
const runs = Number(option("--runs", "1"));
const keep = option("--keep", "");
const baselineDist = option("--baseline", "");
const dir = keep || mkdtempSync(join(tmpdir(), "caldp-bench-wfc4-"));

interface Measured {
  sample: Sample;
  steps: Record<string, number>;
}

/** The run with the least wall time (each printed as it ends); a peer that fails is reported and left out. */
function bestOf(name: string, command: string, args: string[]): Measured | undefined {
  let best: Measured | undefined;
  for (let run = 0; run < runs; run++) {
    let sample: Sample;
    try {
      sample = timed(command, args, REPO);
    } catch (e) {
      if (name === "caldp") throw e;
      console.log(
        `${name} failed: ${String((e as { stderr?: string }).stderr ?? e)
          .trim()
          .split("\n")
          .at(-1)}`,
      );
      return best;
    }
    const steps = JSON.parse(sample.output.trim().split("\n").at(-1) ?? "{}");
    console.log(
      `${name}: wall ${sample.wall} s, CPU ${sample.cpu.toFixed(1)} s, ${sample.rssMb.toFixed(0)} MB, ${JSON.stringify(steps)}`,
    );
    if (!best || sample.wall < best.sample.wall) best = { sample, steps };
  }
  return best;
}

/** Σ SCI·(WHT > 0) in e-/s and the number of pixels with weight. */
function totalFlux(path: string): { flux: number; pixels: number } {
  const file = FitsFile.open(path);
  try {
    const read = (name: string) => file.readImage(file.hdus.find((h) => h.name === name)!).data as Float32Array;
    const [sci, wht] = [read("SCI"), read("WHT")];
    let flux = 0;
    let pixels = 0;
    for (let k = 0; k < sci.length; k++) {
      if (wht[k] > 0) {
        flux += sci[k];
        pixels++;
      }
    }
    return { flux, pixels };
  } finally {
    file.close();
  }
}

/** Whether two drz files hold the same SCI, WHT and CTX bits. */
function sameImages(a: string, b: string): boolean {
  const [fa, fb] = [FitsFile.open(a), FitsFile.open(b)];
  try {
    return ["SCI", "WHT", "CTX"].every((name) => {
      const read = (f: FitsFile) => {
        const data = f.readImage(f.hdus.find((h) => h.name === name)!).data as Float32Array | Int32Array;
        return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      };
      return read(fa).equals(read(fb));
    });
  } finally {
    fa.close();
    fb.close();
  }
}

/** Our stage's steps and AstroDrizzle's names for them in its timing report. */
const STEPS = [
  ["static_mask", "Static Mask"],
  ["sky", "Subtract Sky"],
  ["driz_separate", "Separate Drizzle"],
  ["median", "Create Median"],
  ["blot", "Blot"],
  ["driz_cr", "Driz_CR"],
  ["final_drizzle", "Final Drizzle"],
] as const;

const fixed = (v: number | undefined, digits = 1) => (v === undefined ? "-" : v.toFixed(digits));
const ratio = (theirs: number | undefined, ours: number) => (theirs === undefined ? "-" : (theirs / ours).toFixed(2));

try {
  mkdirSync(dir, { recursive: true });
  let start = performance.now();
  const sim = simulateWfcDither({ asnId: "j8zz01010", out: dir });
  console.log(
    `simulated ${sim.exposures.length} WFC flts in ${((performance.now() - start) / 1000).toFixed(0)} s: ${dir}`,
  );
  const runScript = join(REPO, "bench", "adriz-wfc4-run.ts");
  const baseline = baselineDist
    ? bestOf("caldp baseline", process.execPath, ["--import", "tsx", runScript, dir, baselineDist, "ours-baseline"])
    : undefined;
  const ours = bestOf("caldp", process.execPath, ["--import", "tsx", runScript, dir])!;
  const numpy = bestOf("numpy", PYTHON, [join(REPO, "bench", "peers", "adriz_wfc4_numpy.py"), dir])!;
  const haveDrizzlepac = DRIZZLEPAC !== "" && existsSync(DRIZZLEPAC);
  if (!haveDrizzlepac)
    console.log(`no AstroDrizzle: DRIZZLEPAC_PYTHON is ${DRIZZLEPAC ? `${DRIZZLEPAC}, not found` : "not set"}`);
  const adriz = haveDrizzlepac
    ? bestOf("AstroDrizzle", DRIZZLEPAC, [join(REPO, "bench", "peers", "adriz_wfc4_astrodrizzle.py"), dir])
    : undefined;
  start = performance.now();
  const product = String(ours.steps.product);
  const name = product.split("/").at(-1)!;
  const fluxOurs = totalFlux(product);
  const fluxNumpy = totalFlux(join(dir, "numpy", name));
  const fluxAdriz = adriz ? totalFlux(join(dir, "astrodrizzle", name)) : undefined;
  const row = (step: string, a: number, b: number | undefined, c: number | undefined, digits = 1): Row => ({
    step,
    ...(baseline && { baseline: fixed(baselineValue(step), digits), "baseline/caldp": ratio(baselineValue(step), a) }),
    caldp: fixed(a, digits),
    numpy: fixed(b, digits),
    AstroDrizzle: adriz ? fixed(c, digits) : haveDrizzlepac ? "failed" : "no venv",
    "numpy/caldp": ratio(b, a),
    "AstroDrizzle/caldp": ratio(c, a),
  });
  const n = numpy.steps;
  // the baseline's value of a row, by the row's name (its steps, or its whole process)
  const baselineValue = (step: string): number | undefined => {
    if (!baseline) return undefined;
    const s = baseline.steps;
    const named = STEPS.find(([key]) => step.trim() === `${key} s`);
    if (named) return s[named[0]];
    const whole: Record<string, number> = {
      "end to end wall s": baseline.sample.wall,
      "end to end CPU s": baseline.sample.cpu,
      "peak RSS MB": baseline.sample.rssMb,
      "updatewcs s": s.updatewcs,
      "drizzle s (read, all steps, write)": s.drizzle,
      "  read, set-up, write s": s.drizzle - STEPS.reduce((t, [step]) => t + (s[step] ?? 0), 0),
    };
    return whole[step];
  };
  if (baseline) {
    const same = sameImages(String(baseline.steps.product), product);
    console.log(
      `drz SCI, WHT and CTX ${same ? "bit-identical to" : "DIFFERENT from"} the baseline's (${baselineDist})`,
    );
  }
  const nsPer = (seconds: number, covered: number) => (seconds * 1e9) / covered;
  const rows: Row[] = [
    row("end to end wall s", ours.sample.wall, numpy.sample.wall, adriz?.sample.wall),
    row("end to end CPU s", ours.sample.cpu, numpy.sample.cpu, adriz?.sample.cpu),
    row("peak RSS MB", ours.sample.rssMb, numpy.sample.rssMb, adriz?.sample.rssMb, 0),
    row("updatewcs s", ours.steps.updatewcs, undefined, adriz?.steps.updatewcs),
    row(
      "drizzle s (read, all steps, write)",
      ours.steps.drizzle,
      n.read + n.pixmap + n.kernel + n.write,
      adriz?.steps.drizzle,
    ),
    ...STEPS.map(([step, theirs]) =>
      row(`  ${step} s`, ours.steps[step], step === "final_drizzle" ? n.kernel : undefined, adriz?.steps[theirs]),
    ),
    row(
      "  read, set-up, write s",
      ours.steps.drizzle - STEPS.reduce((t, [step]) => t + (ours.steps[step] ?? 0), 0),
      n.read + n.pixmap + n.write,
      adriz && adriz.steps.drizzle - STEPS.reduce((t, [, theirs]) => t + (adriz.steps[theirs] ?? 0), 0),
    ),
    row("  numpy: pixel maps s / kernels s", n.pixmap, n.kernel, undefined),
    row(
      "kernel alone ns/output px (1 chip)",
      nsPer(ours.steps.kernel, ours.steps.covered),
      nsPer(n.kernel_alone, n.covered),
      undefined,
    ),
    row("total flux Me-/s", fluxOurs.flux / 1e6, fluxNumpy.flux / 1e6, fluxAdriz && fluxAdriz.flux / 1e6, 4),
    row("pixels with weight M", fluxOurs.pixels / 1e6, fluxNumpy.pixels / 1e6, fluxAdriz && fluxAdriz.pixels / 1e6, 3),
  ];
  const note = haveDrizzlepac
    ? ""
    : ` (no AstroDrizzle: set DRIZZLEPAC_PYTHON${DRIZZLEPAC ? `; nothing at ${DRIZZLEPAC}` : ""})`;
  printTable(`ACS/WFC 4-exposure dither flt → drz, 8 × 4096×2048, best of ${runs} by wall${note}`, rows);
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

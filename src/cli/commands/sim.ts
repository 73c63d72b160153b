import type { Command } from "commander";
import { ACS_SUBARRAYS, type AcsSubarrayName, isAcsSubarray } from "../../sim/acs-subarray.js";
import { simulateCosFuv } from "../../sim/cos-fuv.js";
import { simulateCosNuvAccum } from "../../sim/cos-nuv-accum.js";
import { simulateCosNuvAsn } from "../../sim/cos-nuv-asn.js";
import { simulateDither } from "../../sim/dither.js";
import { simulateWfcDither } from "../../sim/dither-wfc.js";
import { simulateCosNuv, simulateDataset } from "../../sim/index.js";

const DETECTORS = ["WFC", "HRC", "SBC", "UVIS", "IR", "CCD", "FUV-MAMA", "NUV-MAMA", "NUV", "FUV"] as const;

function positiveInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${value}'`);
    return n;
  };
}

interface SimCliOptions {
  out: string;
  detector?: string;
  exposures?: number;
  seed?: number;
  epoch?: string;
  cte?: boolean;
  spectroscopic?: boolean;
  dither?: boolean;
  subarray?: string;
  tagflash?: boolean;
  doppcorr?: boolean;
  accum?: boolean;
  echelle?: boolean;
  x1d?: boolean;
}

function subarrayOption(value: string | undefined): AcsSubarrayName | undefined {
  if (value === undefined || isAcsSubarray(value)) return value;
  throw new Error(`--subarray must be one of ${ACS_SUBARRAYS.join(", ")}, got '${value}'`);
}

/** A COS association id (l…0): NUV FP-POS exposures at FPOFFSET −1, 0, 1, 1 (the first --exposures, default 4). */
function simulateFpPos(dataset: string, options: SimCliOptions): void {
  const n = options.exposures ?? 4;
  if (n < 2 || n > 4) throw new Error(`--exposures: a COS FP-POS association has 2 to 4 exposures, got ${n}`);
  const sim = simulateCosNuvAsn({
    asnId: dataset,
    out: options.out,
    seed: options.seed,
    fpOffsets: [-1, 0, 1, 1].slice(0, n),
  });
  console.log(`COS/NUV FP-POS association ${dataset.toLowerCase()} in ${options.out} (${n} TIME-TAG exposures)`);
  console.log(`association: ${sim.asn}`);
  for (const m of sim.members) console.log(`rawtag: ${m.rawtag} (FPOFFSET ${m.fpoffset}, ${m.events} events)`);
  console.log(`references (lref): ${sim.referenceDir}/`);
}

/** `--dither`: an ACS association (j…0) of dithered exposures, WFC as full-frame flts, HRC as raws. */
function simulateDithered(dataset: string, detector: string | undefined, options: SimCliOptions): void {
  const common = { asnId: dataset, out: options.out, exposures: options.exposures, seed: options.seed };
  if (detector === "HRC") {
    const sim = simulateDither(common);
    console.log(`ACS/HRC dither ${sim.asn} (product ${sim.product})`);
    for (const e of sim.exposures) console.log(`raw: ${e.raw}`);
    console.log(`CRDS cache: ${sim.crds.root} (context ${sim.crds.context}); truth: ${sim.truth}`);
    return;
  }
  if (detector !== undefined && detector !== "WFC") throw new Error(`--dither is for ACS WFC or HRC, not ${detector}`);
  const sim = simulateWfcDither({ ...common, exposures: options.exposures ?? 4 });
  console.log(`ACS/WFC dither ${sim.asn} (product ${sim.product}), flts (stage 1 skipped)`);
  for (const e of sim.exposures) console.log(`flt: ${e.flt}`);
  console.log(`references: jref=${sim.referenceDir}/; truth: ${sim.truth}`);
}

function epochOption(value: string | undefined): "pre-sm4" | "post-sm4" | undefined {
  if (value === undefined || value === "pre-sm4" || value === "post-sm4") return value;
  throw new Error(`--epoch must be pre-sm4 or post-sm4, got '${value}'`);
}

export function registerSimCommand(program: Command): void {
  program
    .command("sim")
    .description("write a simulated raw dataset, its reference files, a CRDS cache and the noiseless truth")
    .argument(
      "<dataset>",
      "ipppssoot: j… ACS, i… WFC3, o… STIS, l… COS (NUV TIME-TAG); ending in 0 = CR-SPLIT association",
    )
    .requiredOption("--out <dir>", "output folder")
    .option("--detector <name>", `one of ${DETECTORS.join(", ")} (default: WFC, UVIS or CCD by instrument)`)
    .option(
      "--exposures <n>",
      "exposures of a CR-SPLIT (SBC: RPT-OBS; STIS MAMA: REPEATOBS image sets in one raw) association (default 2); COS l…0: NUV FP-POS exposures (2–4, default 4)",
      positiveInteger("--exposures"),
    )
    .option("--seed <n>", "random seed (default 1)", positiveInteger("--seed"))
    .option("--epoch <epoch>", "ACS/WFC: pre-sm4 (default) or post-sm4 (2012, DS_INT: bias shift, cross-talk, stripes)")
    .option(
      "--cte",
      "ACS/WFC, WFC3/UVIS: CTE trails in the raws, a PCTETAB and a DRKCFILE (UVIS: and a BIACFILE), PCTECORR=PERFORM (the truth is untrailed)",
    )
    .option(
      "--spectroscopic",
      "STIS: a first-order long-slit spectrum (52X0.2) with its wavecal _wav: G430L on the CCD, G140L on the FUV-MAMA, G230L on the NUV-MAMA",
    )
    .option(
      "--dither",
      "ACS (j…0): a dithered association (_asn with PROD-DTH, 2–4 exposures, default 4 WFC / 3 HRC, distortion references, truth catalogue in sky coordinates); WFC: full-frame flts, stage 1 skipped",
    )
    .option(
      "--subarray <aperture>",
      `ACS/WFC: a chip corner next to its amp, with the amp's prescan (${ACS_SUBARRAYS.join(", ")}), instead of the full frame`,
    )
    .option(
      "--doppcorr",
      "STIS MAMA long slit: DOPPCORR=PERFORM with the on-board Doppler keywords (DOPPZERO, DOPPMAG, ORBITPER) and a high-res flat",
    )
    .option("--echelle", "STIS FUV-MAMA (with --spectroscopic): the E140M echelle through 0.2X0.06, seven orders")
    .option(
      "--tagflash",
      "COS NUV/FUV: TAGFLASH=AUTO lamp flashes, the spectrum drifting by a known shift between them",
    )
    .option("--accum", "COS NUV: an ACCUM exposure (_rawaccum: the point source's counts as a 1024x1024 image)")
    .option(
      "--x1d",
      "COS FUV: X1DCORR (BOXCAR), BACKCORR, FLUXCORR, TDSCORR and HELCORR PERFORM with an FUV FLUXTAB and TDSTAB",
    )
    .action((dataset: string, options: SimCliOptions) => {
      const detector = options.detector?.toUpperCase();
      if (detector !== undefined && !(DETECTORS as readonly string[]).includes(detector)) {
        throw new Error(`--detector must be one of ${DETECTORS.join(", ")}, got '${options.detector}'`);
      }
      if (options.dither) return simulateDithered(dataset, detector, options);
      if (/^l[a-z0-9]{8}$/i.test(dataset)) {
        if (detector === "FUV") {
          if (options.accum) throw new Error("--accum: COS FUV ACCUM is not simulated (NUV only)");
          const fuv = simulateCosFuv({
            dataset,
            out: options.out,
            seed: options.seed,
            tagflash: options.tagflash,
            x1d: options.x1d,
          });
          console.log(
            `COS/FUV TIME-TAG ${dataset.toLowerCase()} in ${options.out} (${JSON.stringify(fuv.events)} events)`,
          );
          console.log(`rawtags: ${fuv.rawtags.FUVA} ${fuv.rawtags.FUVB}`);
          console.log(`references (lref): ${fuv.referenceDir}/`);
          return;
        }
        if (detector !== undefined && detector !== "NUV")
          throw new Error(`COS is simulated for NUV and FUV only, not ${detector}`);
        if (options.accum) {
          if (options.tagflash) throw new Error("--accum and --tagflash: an ACCUM exposure has no lamp flashes");
          const accum = simulateCosNuvAccum({ dataset, out: options.out, seed: options.seed });
          console.log(`COS/NUV ACCUM ${dataset.toLowerCase()} in ${options.out} (${accum.counts} counts)`);
          console.log(`rawaccum: ${accum.rawaccum}`);
          console.log(`CRDS cache: ${accum.crds.root} (context ${accum.crds.context})`);
          return;
        }
        if (dataset.endsWith("0") && !options.tagflash) return simulateFpPos(dataset, options);
        const cos = simulateCosNuv({ dataset, out: options.out, seed: options.seed, tagflash: options.tagflash });
        console.log(`COS/NUV TIME-TAG ${dataset.toLowerCase()} in ${options.out} (${cos.events} events)`);
        console.log(`rawtag: ${cos.rawtag}`);
        console.log(`CRDS cache: ${cos.crds.root} (context ${cos.crds.context})`);
        return;
      }
      const sim = simulateDataset({
        dataset,
        out: options.out,
        detector: detector as Exclude<(typeof DETECTORS)[number], "NUV" | "FUV"> | undefined,
        exposures: options.exposures,
        seed: options.seed,
        epoch: epochOption(options.epoch),
        cte: options.cte,
        spectroscopic: options.spectroscopic,
        doppcorr: options.doppcorr,
        echelle: options.echelle,
        subarray: subarrayOption(options.subarray),
      });
      console.log(`${sim.instrument.toUpperCase()}/${sim.detector} ${sim.dataset} in ${sim.out}`);
      if (sim.asn) console.log(`association: ${sim.asn} (product ${sim.product})`);
      for (const e of sim.exposures) console.log(`raw: ${e.raw}`);
      console.log(`CRDS cache: ${sim.crds.root} (context ${sim.crds.context}); truth: ${sim.truth}`);
    });
}

import type { Command } from "commander";

/** The examples at the end of each command's --help, by command path ("" is caldp itself). */
const EXAMPLES: Record<string, readonly string[]> = {
  "": [
    "caldp fits info j8cb01a1q_raw.fits",
    "caldp process j8cb010b0 file:inputs file:outputs caldp-config-offsite",
    "source <(caldp completion bash)",
  ],
  fits: [
    "caldp fits info *_raw.fits",
    "caldp fits header j8cb01a1q_raw.fits -k FILTER1",
    "caldp fits verify outputs/j8cb010b0/*.fits",
  ],
  "fits info": ["caldp fits info j8cb01a1q_raw.fits", "caldp fits info --json *_flt.fits > hdus.json"],
  "fits header": [
    "caldp fits header j8cb01a1q_raw.fits",
    "caldp fits header j8cb01a1q_flt.fits -e SCI,2",
    "caldp fits header j8cb01a1q_raw.fits -k FILTER1",
    "caldp fits header -e SCI,1 -k 'NAXIS*' j8bt05njq_raw.fits",
    "caldp fits header -f -k FILTER1 -k EXPTIME *_raw.fits",
  ],
  "fits diff": [
    "caldp fits diff -k DATE,CAL_VER --rtol 1e-6 old/j8bt05njq_flt.fits new/j8bt05njq_flt.fits",
    "caldp fits diff --ignore-volatile --json a_crj.fits b_crj.fits",
  ],
  "fits verify": ["caldp fits verify j8cb01a1q_flt.fits", "caldp fits verify outputs/j8cb010b0/*.fits && echo clean"],
  bestrefs: [
    "CRDS_PATH=/grp/crds/cache caldp bestrefs --files j8cb01a1q_raw.fits",
    "caldp bestrefs --files *_raw.fits --context hst_1123.pmap --json",
    "caldp bestrefs --files j8cb01a1q_raw.fits --update-bestrefs",
    "caldp bestrefs --files *_raw.fits --old-context hst_0728.pmap --new-context hst_0729.pmap --print-affected",
  ],
  sim: [
    "caldp sim j8cb010b0 --out inputs",
    "caldp sim j8cb010b0 --out post --epoch post-sm4 --seed 7",
    "caldp sim lsim01abq --out cos",
    "caldp sim o8ss01010 --out longslit --spectroscopic",
    "caldp sim j8zz01010 --dither --out wfc4   # 4 full-frame WFC flts, dithered, + distortion references",
  ],
  calacs: [
    "jref=$CRDS_PATH/references/hst/ caldp calacs j8cb010b0_asn.fits",
    "jref=$CRDS_PATH/references/hst/ caldp calacs -v j8cb01a1q_raw.fits",
  ],
  calwf3: ["iref=$CRDS_PATH/references/hst/ caldp calwf3 -v ibcz01010_asn.fits"],
  calstis: ["oref=$CRDS_PATH/references/hst/ caldp calstis -v o8ab02abq_raw.fits"],
  calcos: [
    "lref=$CRDS_PATH/references/hst/ caldp calcos lsim01abq_rawtag.fits",
    "lref=$CRDS_PATH/references/hst/ caldp calcos --outdir out -v lsim01abq_rawtag.fits",
  ],
  previews: ["caldp previews j8cb010b1_crj.fits", "caldp previews --out previews --thumb-size 256 *_flt.fits"],
  batch: [
    "caldp batch submit --input file:inputs --output file:outputs datasets.txt",
    "caldp batch worker --rung 8g --concurrency 2",
    "caldp batch status --watch",
  ],
  "batch submit": [
    "caldp batch submit --input file:inputs --output file:outputs j8cb010b0 j8cb020b0",
    "caldp batch submit --input 's3://in/{dataset}' --output s3://out --redis redis://queue:6379 datasets.txt",
  ],
  "batch worker": ["caldp batch worker", "caldp batch worker --rung 16g --concurrency 4 --work-dir /scratch"],
  "batch status": ["caldp batch status", "caldp batch status --json --output file:outputs"],
  "batch rescue": ["caldp batch rescue all", "caldp batch rescue j8cb010b0 --memory-bin 16g"],
  "batch cancel": ["caldp batch cancel j8cb010b0", "caldp batch cancel all"],
  "batch clean": ["caldp batch clean all --output file:outputs"],
  "batch dashboard": ["caldp batch dashboard --port 8080"],
  process: [
    "caldp process j8cb010b0 file:inputs file:outputs",
    "caldp process j8cb010b0 s3://calcloud-inputs s3://calcloud-outputs caldp-config-aws",
  ],
  updatewcs: [
    "jref=$CRDS_PATH/references/hst/ caldp updatewcs --output updated j8cb01a1q_flt.fits j8cb01a1q_flc.fits",
    "jref=$CRDS_PATH/references/hst/ caldp updatewcs --in-place *_flt.fits",
  ],
  drizzle: [
    "caldp drizzle j8cb01020_asn.fits",
    "caldp drizzle --final-scale 0.04 --final-rot 0 --final-kernel lanczos3 --output mosaic j8cb01a1q_flt.fits j8cb01a2q_flt.fits",
  ],
  cte: ["caldp cte forward j8cb01a1q_flt.fits", "caldp cte forward --pctetab jref/2023_pcte.fits j8cb01a1q_flt.fits"],
  "cte forward": [
    "caldp cte forward j8cb01a1q_flt.fits",
    "caldp cte forward --pctetab jref/2023_pcte.fits j8cb01a1q_flt.fits",
  ],
  completion: ["source <(caldp completion bash)", "caldp completion zsh > ~/.zfunc/_caldp"],
};

/** What applies to every command, after caldp's own help. */
const ROOT_SECTIONS = `
Environment:
  CALDP_DEBUG=1       add JavaScript stack traces to error lines and fatal reports (one line otherwise)
  CRDS_PATH           the CRDS cache (references, mappings, config); CRDS_CONTEXT, CRDS_SERVER_URL as CRDS
  jref, iref, oref, lref  reference folders of calacs, calwf3, calstis, calcos (caldp-process sets them)
  CALDP_HOME          scratch folder of caldp-process (default: a hidden folder in the output folder)

Exit status:
  0 success; 1 a failure or a bad option (the one-line error names the file and the cause).
  caldp process exits with CALDP's codes (21 inputs, 23 calibration, 27 CRDS, 28 previews, ...).`;

/** The path of `command` below the program: "batch submit". */
function pathOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Every command of the program, the program first. */
export function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

/** Adds the examples (and, to caldp's own help, the environment and exit status) to every command's --help. */
export function addHelpExamples(program: Command): void {
  for (const command of allCommands(program)) {
    const examples = EXAMPLES[pathOf(command)];
    if (examples === undefined) continue;
    const text = examples.map((line) => `  $ ${line}`).join("\n");
    command.addHelpText("after", `\nExamples:\n${text}${command === program ? `\n${ROOT_SECTIONS}` : ""}`);
  }
}

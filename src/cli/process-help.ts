import { EXIT_CODES } from "../core/exit-codes.js";
import { CONFIG_PRESETS } from "../pipeline/config.js";
import { VERSION } from "../version.js";

/** caldp-process's --help: the positional forms, the URIs and the configs (it takes no other options). */
export function processHelp(): string {
  return `usage: caldp-process <dataset> [input] [output] [config]
       caldp-process --help | -h | --version

Calibrates one HST dataset the way CALDP does: inputs, CRDS best references, calibration, previews,
output tree, messages, logs and metrics; the exit status is one of CALDP's exit codes.

arguments:
  dataset   ipppssoot (e.g. j8cb010b0), SVM (acs_8ph_01) or MVM (skycell-p2381x06y09) name
  input     file:<dir> (the dataset's <ds5>*.tar.gz or raw files), s3://bucket[/prefix] or astroquery:
            (default file:.)
  output    file:<dir> or s3://bucket (default file:.)
  config    ${CONFIG_PRESETS.join(" | ")} (default ${CONFIG_PRESETS[0]}),
            or the path of a KEY=VALUE file

examples:
  caldp-process j8cb010b0 file:inputs file:outputs
  caldp-process j8cb010b0 astroquery: s3://my-bucket caldp-config-aws

caldp ${VERSION}`;
}

/**
 * What caldp-process does with its arguments before calibrating: print help or version (exit 0), refuse an
 * unknown option (exit 2), or nothing (undefined) so that the positional arguments go to the pipeline.
 */
export function handleProcessOptions(argv: string[]): { out?: string; err?: string; code: number } | undefined {
  if (argv.some((a) => a === "--help" || a === "-h")) return { out: processHelp(), code: 0 };
  if (argv.includes("--version")) return { out: VERSION, code: 0 };
  const option = argv.find((a) => a.startsWith("-") && a !== "-");
  if (option) {
    return {
      err: `caldp-process: unknown option '${option}' (see caldp-process --help)`,
      code: EXIT_CODES.CMDLINE_ERROR,
    };
  }
  return undefined;
}

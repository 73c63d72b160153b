import { basename } from "node:path";
import type { Command } from "commander";
import {
  type BestReferences,
  bestrefsForFile,
  cacheLayout,
  fileParameters,
  loadContext,
  type Mapping,
  NoContextError,
  noContextMessage,
  planHeaderUpdates,
  readServerConfig,
  resolveContext,
  writeBestrefsHeader,
} from "../../crds/index.js";
import { VERSION } from "../../version.js";
import { syncReferences } from "./bestrefs-sync.js";

interface BestrefsOptions {
  files: string[];
  context?: string;
  newContext?: string;
  oldContext?: string;
  updateBestrefs?: boolean;
  printAffected?: boolean;
  printNewReferences?: boolean;
  syncReferences?: boolean;
  verbosity: number;
  json?: boolean;
}

/** CRDS's debug level: the per-type lines appear from --verbosity 10 (or -v) up. */
const DEBUG_VERBOSITY = 10;

/** The server info cached in CRDS_PATH, or nothing when the cache has none (an explicit context needs none). */
function cachedServerInfo(layout: ReturnType<typeof cacheLayout>): Record<string, unknown> {
  try {
    return readServerConfig(layout);
  } catch {
    return {};
  }
}

async function contextNamed(explicit: string | undefined): Promise<{ name: string; mapping: Mapping }> {
  const layout = cacheLayout(process.env);
  const info = cachedServerInfo(layout);
  const name = await resolveContext({ context: explicit, env: process.env, info }).catch((error) => {
    throw error instanceof NoContextError ? new NoContextError(noContextMessage(layout, process.env)) : error;
  });
  return { name, mapping: loadContext(name, { layout }) };
}

/** A result as a plain reference name, 'n/a', or undefined for a failed lookup. */
function referenceName(result: BestReferences[string] | undefined): string | undefined {
  if (result === undefined) return "n/a";
  if (typeof result !== "string") return undefined;
  const upper = result.toUpperCase();
  if (upper.startsWith("NOT FOUND N/A") || upper === "NOT FOUND NO MATCH FOUND.") return "n/a";
  return upper.startsWith("NOT FOUND") ? undefined : result.replace(/^[a-z]+\$/i, "").toLowerCase();
}

function parseVerbosity(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new Error(`--verbosity ${value}: an integer from 0 to 100`);
  return n;
}

export function registerBestrefsCommand(program: Command): void {
  program
    .command("bestrefs")
    .description("choose CRDS best reference files for datasets (and write them into their headers)")
    .requiredOption("--files <files...>", "dataset FITS files")
    .option(
      "--context, --new-context <pmap>",
      "CRDS context, e.g. hst_0729.pmap (default: CRDS_CONTEXT, else the cache's operational one)",
    )
    .option("--old-context <pmap>", "compare with this context: only references that change are updates")
    .option("--update-bestrefs", "write the reference keywords, CRDS_CTX and CRDS_VER into each primary header")
    .option(
      "--print-affected",
      "print only the files whose references change (all that have any, without --old-context)",
    )
    .option("--print-new-references", "print '<file> <instrument> <type> <old> <new>' for each update")
    .option("--sync-references", "download the chosen references missing from the cache (CRDS_SERVER_URL)")
    .option("--verbosity <n>", "0 (default) to 100; from 10, one line per type and file on stderr", parseVerbosity, 0)
    .option("-v, --verbose", "the same as --verbosity 10")
    .option("--json", 'print {"<file>": {"<filekind>": "<result>"}}')
    .addHelpText(
      "after",
      "\nExit status 1 when a required lookup (or a --sync-references download) fails; a count of errors and\n" +
        "warnings ends the run on stderr.",
    )
    .action(async (options: BestrefsOptions & { verbose?: boolean }) => {
      const verbosity = options.verbose ? Math.max(options.verbosity, DEBUG_VERBOSITY) : options.verbosity;
      const debug = (line: string) => verbosity >= DEBUG_VERBOSITY && console.error(`caldp bestrefs: ${line}`);
      const next = await contextNamed(options.context ?? options.newContext);
      const old = options.oldContext ? await contextNamed(options.oldContext) : undefined;
      const all: Record<string, BestReferences> = {};
      const wanted = new Set<string>();
      let errors = 0;
      let warnings = 0;
      const error = (line: string) => {
        errors++;
        console.error(`caldp bestrefs: ERROR: ${line}`);
      };
      const listing = !options.json && !options.printAffected && !options.printNewReferences;
      for (const file of options.files) {
        debug(`===> Processing ${file}`);
        const results = bestrefsForFile(next.mapping, file);
        const before = old ? bestrefsForFile(old.mapping, file) : undefined;
        all[basename(file)] = results;
        if (listing)
          for (const [filekind, result] of Object.entries(results))
            console.log(`${file} ${filekind} ${String(result)}`);
        const instrument = fileParameters(file).INSTRUME ?? "";
        const plan = planHeaderUpdates(results, instrument);
        for (const e of plan.errors) error(`${file} ${e.filekind}: ${e.message.trim()}`);
        for (const [filekind, result] of Object.entries(before ?? {})) {
          if (referenceName(result) !== undefined) continue;
          warnings++;
          console.error(
            `caldp bestrefs: WARNING: ${file} ${filekind}: in the old context ${old!.name}: ${String(result)}`,
          );
        }
        const changed = plan.updates.filter(([keyword]) => {
          const filekind = keyword.toLowerCase();
          return !before || referenceName(before[filekind]) !== referenceName(results[filekind]);
        });
        for (const [keyword, value] of plan.updates) {
          const verdict = changed.some(([k]) => k === keyword) ? "Updating." : "No update.";
          debug(
            `instrument='${instrument}' type='${keyword}' data='${file}' ::  Bestref FOUND: '${value.replace(/^[a-z]+\$/, "")}' :: ${verdict}`,
          );
        }
        for (const [, value] of plan.updates) if (value !== "N/A") wanted.add(value.slice(value.indexOf("$") + 1));
        for (const [keyword, value] of changed) {
          if (!options.printNewReferences) continue;
          const was = before ? (referenceName(before[keyword.toLowerCase()]) ?? "none") : "none";
          const now = value === "N/A" ? "n/a" : value.slice(value.indexOf("$") + 1);
          console.log(`${file} ${instrument.toLowerCase()} ${keyword.toLowerCase()} ${was} ${now}`);
        }
        if (options.printAffected && changed.length > 0) console.log(file);
        if (options.updateBestrefs)
          writeBestrefsHeader(file, { updates: changed, errors: plan.errors }, next.name, `caldp ${VERSION}`);
      }
      if (options.syncReferences) {
        const synced = await syncReferences(wanted, process.env);
        for (const path of synced.fetched) debug(`fetched ${path}`);
        for (const e of synced.errors) error(e);
        console.error(`caldp bestrefs: ${synced.fetched.length} reference(s) fetched into the cache`);
      }
      if (options.json) console.log(JSON.stringify(all, null, 2));
      console.error(`caldp bestrefs: ${errors} error(s), ${warnings} warning(s)`);
      if (errors > 0) process.exitCode = 1;
    });
}

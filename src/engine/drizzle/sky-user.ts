/**
 * Sky values given by the user, as drizzlepac 3.6.2's sky step takes them. With skysub off: MDRIZSKY from the SCI
 * keyword named by `skyuser` (a sky the user already subtracted: the drizzles subtract nothing more), from the
 * chips' own MDRIZSKY when skyuser is MDRIZSKY (subtracted again by the drizzles, as AstroDrizzle does), or from a
 * "@file" of values (subtracted by the drizzles); else nothing is subtracted and MDRIZSKY stays (0 when absent).
 * With skysub on and a `skyfile`: its values, subtracted unless a "# applied = yes" line says the user did.
 * `context.sky` is what the drizzles subtract (computedSky), `context.mdrizsky` what the median and driz_cr take
 * as the sky in the data (subtractedSky) and what MDRIZSKY records.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { DrizzleStageError } from "./errors.js";
import type { InputChip } from "./inputs.js";
import type { StageContext } from "./stage.js";

export interface SkyFile {
  path: string;
  /** A "# applied = yes" line: the user subtracted the values already. */
  applied: boolean;
  /** Per line, in order: the image name, its sky values (one for every chip, or one per chip) and line number. */
  lines: { name: string; values: number[]; line: number }[];
}

/** The skyfile's lines as AstroDrizzle reads them; a value that is not a number is an error naming file and line. */
export function readSkyFile(path: string, keyword = "skyfile"): SkyFile {
  if (!existsSync(path)) throw new DrizzleStageError("no such file", path, keyword);
  const file: SkyFile = { path, applied: false, lines: [] };
  readFileSync(path, "utf8")
    .split(/\r?\n/)
    .forEach((text, n) => {
      if (text.startsWith("#")) {
        const separator = text.includes(":") ? ":" : text.includes("=") ? "=" : undefined;
        if (text.includes("applied") && separator) {
          const answer = text.split(separator)[1].trim().toLowerCase();
          if (["yes", "true", "y", "t"].includes(answer)) file.applied = true;
        }
        return;
      }
      const [name, ...words] = text.trim().split(/\s+/);
      if (!name) return;
      const values = words.map(Number);
      const bad = words.find((_, k) => !Number.isFinite(values[k]));
      if (bad !== undefined) throw new DrizzleStageError(`line ${n + 1}: sky value '${bad}' is not a number`, path);
      if (values.length === 0) throw new DrizzleStageError(`line ${n + 1}: ${name} has no sky value`, path);
      file.lines.push({ name, values, line: n + 1 });
    });
  return file;
}

/** Whether a skyfile line names `file` (as given, or by its file name: AstroDrizzle runs beside its inputs). */
const names = (name: string, file: string) => name === file || name === basename(file);

/** A skyfile naming an image that is not among `files` (every input of the command) is an error. */
export function checkSkyFileNames(path: string, files: string[], keyword = "skyfile"): void {
  for (const { name, line } of readSkyFile(path, keyword).lines) {
    if (!files.some((f) => names(name, f))) {
      throw new DrizzleStageError(`line ${line}: ${name} is not an input image`, path, keyword);
    }
  }
}

/** The chip's MDRIZSKY as the input has it, undefined when absent. */
function headerSky(chip: InputChip): number | undefined {
  const v = chip.header.get("MDRIZSKY");
  return typeof v === "number" ? v : undefined;
}

/**
 * AstroDrizzle's start: computedSky and subtractedSky from the chips' MDRIZSKY; without one, none and 0 (MDRIZSKY
 * 0 written with skysub off, as its _addDefaultSkyKW; with a skyfile, an image it does not list gets none).
 */
function fromHeaders(context: StageContext, chips: InputChip[], addDefault: boolean): void {
  for (const chip of chips) {
    const sky = headerSky(chip);
    if (sky !== undefined) context.sky.set(chip, sky);
    if (sky !== undefined || addDefault) context.mdrizsky.set(chip, sky ?? 0);
  }
}

/** Sets each exposure's chips from the skyfile's line for it; exposures without one keep what they had, warned. */
function applySkyFile(context: StageContext, file: SkyFile, subtract: boolean): void {
  for (const chips of context.exposures) {
    const name = chips[0].file;
    const entry = file.lines.findLast((l) => names(l.name, name));
    if (!entry) {
      context.warnings.push(`${name}: no sky value in ${file.path}: its sky is not subtracted`);
      continue;
    }
    if (entry.values.length !== 1 && entry.values.length !== chips.length) {
      const detail = `${entry.values.length} sky values for ${chips.length} SCI chip(s) (give 1 or ${chips.length})`;
      throw new DrizzleStageError(`line ${entry.line}: ${entry.name} has ${detail}`, file.path);
    }
    chips.forEach((chip, c) => {
      const sky = entry.values.length === 1 ? entry.values[0] : entry.values[c];
      context.mdrizsky.set(chip, sky);
      if (subtract) context.sky.set(chip, sky);
      else context.sky.delete(chip);
    });
  }
}

/** skysub off: skyuser's keyword or "@file", or nothing subtracted (drizzlepac's subtractSky without skysub). */
export function skyWithoutSkysub(context: StageContext): void {
  const skyuser = context.params.skyuser.trim();
  fromHeaders(context, context.chips, true);
  if (skyuser.startsWith("@")) {
    applySkyFile(context, readSkyFile(skyuser.slice(1), "skyuser"), true);
    return;
  }
  if (skyuser === "") {
    context.sky.clear();
    return;
  }
  if (skyuser === "MDRIZSKY") return;
  for (const chip of context.chips) {
    const value = chip.header.get(skyuser);
    const where = `${chip.file}[SCI,${chip.extver}]`;
    if (value === undefined) throw new DrizzleStageError("missing (named by skyuser)", where, skyuser);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new DrizzleStageError(`${JSON.stringify(value)} is not a sky value (named by skyuser)`, where, skyuser);
    }
    context.mdrizsky.set(chip, value);
    context.sky.delete(chip);
  }
}

/** skysub on with a skyfile: its values instead of skymatch's. */
export function skyFromSkyFile(context: StageContext): void {
  const file = readSkyFile(context.params.skyfile.trim());
  fromHeaders(context, context.chips, false);
  applySkyFile(context, file, !file.applied);
}

/** The sky the median and driz_cr take as in the chip's data: MDRIZSKY where set, else the subtracted sky. */
export function recordedSky(context: StageContext, chip: InputChip): number {
  return context.mdrizsky.get(chip) ?? context.sky.get(chip) ?? 0;
}

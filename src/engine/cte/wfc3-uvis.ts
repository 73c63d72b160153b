/**
 * WF3CTE on a full-frame WFC3/UVIS raw (calwf3.e's first step when PCTECORR = PERFORM): the corrected raw
 * `<root>_rac_tmp.fits` that WF3CCD and WF32D then calibrate into the _flc, with the PCTETAB's keywords, the
 * parameters used (PCTEFRAC, PCTERNOI), PCTECORR = COMPLETE and its HISTORY, as hstcal wf3cte.c writes them.
 * The columns are spread over the pool. Any problem is a CalibrationError naming file, extension or keyword,
 * raised before the corrected raw is written.
 */
import { cteScaleFraction } from "../../calib/common/cte/trap-map.js";
import { CalibrationError } from "../../calib/common/errors.js";
import { finishUvisCte, prepareUvisCte, type UvisCtePrepared, uvisReadNoise } from "../../calib/wfc3/cte-image.js";
import { RAZ_COLUMNS, RAZ_ROWS, UVIS_CHIP_COLUMNS } from "../../calib/wfc3/cte-raz.js";
import {
  biacSection,
  cutFromChip,
  placeUvisSubarray,
  prepareUvisSubarrayCte,
  type UvisSubarrayPlace,
} from "../../calib/wfc3/cte-subarray.js";
import type { Header } from "../../fits/index.js";
import { addHistory, setKeyword } from "../headers.js";
import { type ImageSetFile, readImageSetFile } from "../imset-io.js";
import { writeProduct } from "../program-files.js";
import { type Env, requireReferenceOf } from "../reference-files.js";
import { taskModule, type WorkerPool } from "../worker-pool.js";
import { readPctetab } from "./pctetab.js";
import type { UvisCteColumnsArgs } from "./wfc3-uvis-tasks.js";

const cteTask = taskModule<typeof import("./wfc3-uvis-tasks.js")>(new URL("./wfc3-uvis-tasks.js", import.meta.url));
/** Columns per task: small enough for the pool to balance the columns' very different costs. */
const COLUMNS_PER_TASK = 132;

export interface UvisCteOptions {
  dir: string;
  root: string;
  /** The raw's file name and primary header. */
  raw: string;
  primary: Header;
  env: Env;
  pool: WorkerPool;
  calVer: string;
  /** HISTORY name and PEDIGREE/DESCRIP of the PCTETAB. */
  historyOf: (keyword: string, path: string) => string[];
}

function rawNumber(primary: Header, raw: string, keyword: string, fallback?: number): number {
  const value = primary.get(keyword);
  if (value === undefined && fallback !== undefined) return fallback;
  const n = typeof value === "bigint" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n)) {
    throw new CalibrationError("HEADER_PROBLEM", `${raw}: keyword ${keyword} is missing or not a number (PCTECORR)`, {
      step: "PCTECORR",
    });
  }
  return n;
}

/** `check`'s result; its CalibrationError names the raw and the switch first, as ACSCTE's do. */
function namingRaw<T>(raw: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof CalibrationError)) throw e;
    throw new CalibrationError(e.code, `${raw}: PCTECORR = PERFORM: ${e.message}`, { step: "PCTECORR" });
  }
}

function reference(primary: Header, raw: string, keyword: string, env: Env): string {
  return namingRaw(raw, () => requireReferenceOf(primary, keyword, env));
}

function refuseDone(primary: Header, raw: string): void {
  for (const keyword of ["BIASCORR", "DARKCORR", "BLEVCORR"]) {
    if (String(primary.get(keyword) ?? "").trim() === "COMPLETE") {
      throw new CalibrationError("CAL_STEP_NOT_DONE", `${raw}: ${keyword} is COMPLETE: CTE can't be performed`, {
        step: "PCTECORR",
      });
    }
  }
}

/** SCI of the two chips (SCI,1 = chip 2 with amps C/D, SCI,2 = chip 1), checked to be the full frame. */
function fullFrameChips(file: ImageSetFile, path: string, what: string): [Float32Array, Float32Array] {
  if (file.imsets.length < 2) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `${what} ${path}: 2 image sets needed for WF3CTE, found ${file.imsets.length}`,
    );
  }
  return [0, 1].map((k) => {
    const { set } = file.imsets[k];
    if (set.nx !== UVIS_CHIP_COLUMNS || set.ny !== RAZ_ROWS) {
      throw new CalibrationError(
        "SIZE_MISMATCH",
        `${what} ${path} extension SCI,${k + 1}: ${set.nx} x ${set.ny}, the full frame ${UVIS_CHIP_COLUMNS} x ${RAZ_ROWS} is needed`,
      );
    }
    return set.sci;
  }) as [Float32Array, Float32Array];
}

type Prepared = UvisCtePrepared & { place?: UvisSubarrayPlace; columns?: [number, number] };

function prepareFullFrame(
  rawFile: ImageSetFile,
  biac: ImageSetFile,
  raw: string,
  biacfile: string,
  gain: number,
  shared: Float32Array,
): Prepared {
  const [cd, ab] = fullFrameChips(rawFile, raw, "raw");
  const [biasCd, biasAb] = fullFrameChips(biac, biacfile, "BIACFILE");
  return prepareUvisCte({ cd, ab, biasCd, biasAb, gain }, shared);
}

/** A subarray with physical overscan (uvis-cte-limit.ts refuses the others) in an empty full frame. */
function prepareSubarray(
  rawFile: ImageSetFile,
  biac: ImageSetFile,
  raw: string,
  biacfile: string,
  gain: number,
  shared: Float32Array,
): Prepared {
  const { set } = rawFile.imsets[0];
  const place = placeUvisSubarray(set, `${raw}[SCI,1]`);
  const reference = biac.imsets.find((h) => h.set.chip === set.chip)?.set;
  if (!reference) {
    throw new CalibrationError("CAL_FILE_MISSING", `BIACFILE ${biacfile}: no image set for CCDCHIP ${set.chip}`);
  }
  const section = biacSection(set, reference, `BIACFILE ${biacfile}`);
  const prepared = prepareUvisSubarrayCte(set.sci, section, place, gain, shared);
  let first = RAZ_COLUMNS;
  let end = 0;
  for (let i = 0; i < RAZ_COLUMNS; i++) {
    if (!prepared.mask.subarray(i * RAZ_ROWS, (i + 1) * RAZ_ROWS).some((v) => v !== 0)) continue;
    first = Math.min(first, i);
    end = i + 1;
  }
  return { ...prepared, place, columns: [first, end] };
}

/** Runs WF3CTE; writes `<root>_rac_tmp.fits` and returns its name and the trailer's lines. */
export async function runUvisCte(o: UvisCteOptions): Promise<{ name: string; trailer: string[] }> {
  const { primary, raw, env } = o;
  refuseDone(primary, raw);
  const pctetab = reference(primary, raw, "PCTETAB", env);
  const biacfile = reference(primary, raw, "BIACFILE", env);
  const table = namingRaw(raw, () => readPctetab(pctetab, "WFC3"));
  const set = table.parallel;
  const expstart = rawNumber(primary, raw, "EXPSTART");
  const scaleFraction = namingRaw(raw, () =>
    cteScaleFraction(expstart, set.date0, set.date1, `PCTETAB ${pctetab} keyword CTEDATE0`),
  );
  const fromRaw = (keyword: string, tableValue: number) => {
    const value = rawNumber(primary, raw, keyword);
    return value > 1 ? value : tableValue;
  };
  rawNumber(primary, raw, "PCTENSMD");
  rawNumber(primary, raw, "FIXROCR");
  const trailLength = fromRaw("PCTETLEN", set.iterations.trailLength);
  const forwardIterations = fromRaw("PCTENFOR", set.iterations.forwardIterations);
  const parallelTransfers = fromRaw("PCTENPAR", set.iterations.parallelTransfers);
  const gain = rawNumber(primary, raw, "CCDGAIN");

  const rawFile = readImageSetFile(`${o.dir}/${raw}`);
  const shared = new Float32Array(new SharedArrayBuffer(RAZ_COLUMNS * RAZ_ROWS * 4));
  const subarray = primary.get("SUBARRAY") === true;
  const prepared = subarray
    ? prepareSubarray(rawFile, readImageSetFile(biacfile), raw, biacfile, gain, shared)
    : prepareFullFrame(rawFile, readImageSetFile(biacfile), raw, biacfile, gain, shared);
  const readNoise = uvisReadNoise(rawNumber(primary, raw, "PCTERNOI", 0), prepared.electrons);
  const common = {
    electrons: shared,
    pctetab,
    scaleFraction,
    forwardIterations,
    parallelTransfers,
    threshold: Math.fround(set.iterations.overSubtractionThreshold),
    readNoise,
  };
  // The columns a subarray does not reach hold no charge: left as they are (hstcal corrects them to 0).
  const [from, to] = prepared.columns ?? [0, RAZ_COLUMNS];
  const args: UvisCteColumnsArgs[] = [];
  for (let first = from; first < to; first += COLUMNS_PER_TASK) {
    args.push({ ...common, first, end: Math.min(to, first + COLUMNS_PER_TASK) });
  }
  const corrected = new Float32Array(prepared.electrons);
  await o.pool.each(cteTask("uvisCteColumnsTask"), args, (columns, k) =>
    corrected.set(columns, args[k].first * RAZ_ROWS),
  );
  const chips = finishUvisCte(prepared, corrected, gain);
  if (prepared.place) {
    const place = prepared.place;
    const sci = cutFromChip(place.chipIndex === 0 ? chips.cd : chips.ab, place);
    rawFile.imsets[0].set = { ...rawFile.imsets[0].set, sci };
  } else {
    rawFile.imsets[0].set = { ...rawFile.imsets[0].set, sci: chips.cd };
    rawFile.imsets[1].set = { ...rawFile.imsets[1].set, sci: chips.ab };
  }

  const p = rawFile.primary;
  setKeyword(p, "CTE_NAME", table.cteName);
  setKeyword(p, "CTE_VER", table.cteVersion);
  setKeyword(p, "CTEDATE0", set.date0);
  setKeyword(p, "CTEDATE1", set.date1);
  setKeyword(p, "PCTETRSH", set.iterations.overSubtractionThreshold);
  setKeyword(p, "PCTETLEN", trailLength);
  setKeyword(p, "PCTENFOR", forwardIterations);
  setKeyword(p, "PCTENPAR", parallelTransfers);
  setKeyword(p, "PCTEFRAC", scaleFraction);
  setKeyword(p, "PCTERNOI", readNoise);
  setKeyword(p, "PCTECORR", "COMPLETE");
  const history = ["PCTECORR complete ...", "CTE parameters table: ", ...o.historyOf("PCTETAB", pctetab)];
  addHistory(p, history);
  const name = writeProduct(o.dir, `${o.root}_rac_tmp.fits`, rawFile, o.calVer);
  const trailer = [
    `WF3CTE ${raw}: PCTEFRAC ${scaleFraction.toFixed(6)}, PCTERNOI ${readNoise.toFixed(4)}, residual bias ${prepared.levels.map((l) => l.toFixed(3)).join(" ")} DN (C D A B)`,
    ...history,
  ];
  return { name, trailer };
}

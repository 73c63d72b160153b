/**
 * calwf3 for one WFC3/IR exposure: reads the MultiAccum raw, runs WF3IR's per-read steps, CRCORR in
 * worker threads on bands of rows, FLATCORR, and writes `_ima` (all reads) and `_flt` (the CR image
 * without the reference-pixel border, SCI/ERR/DQ/SAMP/TIME).
 */
import { join } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import type { Section } from "../../calib/common/imset.js";
import type { StepRecord } from "../../calib/common/steps.js";
import { selectWf3CcdParameters } from "../../calib/wfc3/ccdtab.js";
import type { CrBandInput, CrImage } from "../../calib/wfc3/ir-crcorr.js";
import type { MultiAccum, MultiAccumRead } from "../../calib/wfc3/multiaccum.js";
import { findWf3Overscan } from "../../calib/wfc3/oscntab.js";
import {
  type crImageOf,
  finishRamp,
  IR_SWITCHES,
  type IrReferences,
  type IrSwitches,
  prepareRamp,
} from "../../calib/wfc3/wf3ir.js";
import { irFlatSection } from "../../calib/wfc3/wf3ir-steps.js";
import { logMemory } from "../../core/memory-log.js";
import { FitsFile, type Header } from "../../fits/index.js";
import { addHistory, applyKeywords, setKeyword } from "../headers.js";
import { type Env, readReferenceImage } from "../reference-files.js";
import { sharedCopy } from "../shared-image-sets.js";
import { collectGarbage, taskModule, type WorkerPool } from "../worker-pool.js";
import { ccdSelection, switchesOf, text } from "./keywords.js";
import { type MultiAccumGroup, readMultiAccum, writeMultiAccum } from "./multiaccum-io.js";
import {
  bpixRows,
  crrejtabOf,
  forgetIrRampReferences,
  imphttabOf,
  irDarkOf,
  nlinOf,
  resolveReferences,
  tableOf,
} from "./references.js";
import { referenceNotes } from "./uvis-headers.js";

const irTask = taskModule<typeof import("./tasks.js")>(new URL("./tasks.js", import.meta.url));

export interface IrRunOptions {
  dir: string;
  env: Env;
  calVer: string;
  log: (line: string) => void;
  /** Receives WF3IR's HISTORY and what each step did (for the log lines and the trailer's sections). */
  steps?: (history: readonly string[], records: readonly StepRecord[]) => void;
}

/** Threshold and ignored DQ bits from the CRREJTAB row with IRRAMP = T. */
export function irRampParameters(rows: readonly Record<string, unknown>[]): { thresh: number; badinpdq: number } {
  const row = rows.find((r) => r.IRRAMP === true || r.IRRAMP === 1 || r.IRRAMP === "T");
  if (!row) throw new CalibrationError("TABLE_ROW_MISSING", "CRREJTAB has no row with IRRAMP = T");
  const thresh = Number.parseFloat(String(row.CRSIGMAS ?? "4").split(",")[0]);
  return { thresh, badinpdq: Number(row.BADINPDQ ?? 0) & 0xffff };
}

/** One CRCORR task per thread on the reads in shared memory; the threads take blocks of rows from a shared counter. */
function rowTasks(
  m: MultiAccum,
  threads: number,
  out: CrImage,
  base: Omit<CrBandInput, "nx" | "ny" | "reads">,
): CrBandInput[] {
  const reads = m.reads.map(({ sci, err, dq, time, samp }) => ({ sci, err, dq, time, samp }));
  const args: CrBandInput = {
    ...base,
    nx: m.nx,
    ny: m.ny,
    reads,
    rows: [m.border.y[0], m.ny - m.border.y[1]],
    out,
    next: new Int32Array(new SharedArrayBuffer(4)),
    blockRows: 16,
  };
  return Array.from({ length: threads }, () => args);
}

function shared<T extends Float32Array | Uint16Array | Int16Array>(
  array: T | number,
  Ctor: new (buffer: SharedArrayBuffer) => T,
  n: number,
): T {
  const copy = new Ctor(
    new SharedArrayBuffer(n * (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT),
  );
  if (typeof array === "number") copy.fill(array);
  else copy.set(array);
  return copy;
}

/** A shared copy of the last read (SAMP and TIME per pixel): the CR image before CRCORR fills its rows. */
function sharedImage(last: MultiAccumRead): CrImage {
  const n = last.sci.length;
  return {
    sci: shared(last.sci, Float32Array, n),
    err: shared(last.err, Float32Array, n),
    dq: shared(last.dq, Uint16Array, n),
    samp: shared(last.samp, Int16Array, n),
    time: shared(last.time, Float32Array, n),
  };
}

/** The array itself when it is in shared memory already (the PFLTFILE is read there), else a shared copy. */
const sharedOrCopy = <T extends Float32Array | Uint16Array>(a: T): T =>
  a.buffer instanceof SharedArrayBuffer ? a : sharedCopy(a);

/**
 * FLATCORR's division of the reads and the CR image (all in shared memory) on the pool, the reads dealt out in
 * turn; false (FLATCORR then runs, or reports what is wrong, as a step) when the PFLTFILE cannot be placed.
 */
async function flatOnWorkers(m: MultiAccum, refs: IrReferences, cr: CrImage, pool: WorkerPool): Promise<boolean> {
  let section: Section;
  try {
    section = irFlatSection(m, refs);
  } catch {
    return false;
  }
  const { sci, err, dq } = section.set;
  const flat = {
    ...section,
    set: { ...section.set, sci: sharedOrCopy(sci), err: sharedOrCopy(err), dq: sharedOrCopy(dq) },
  };
  const targets = [...m.reads, cr].map(({ sci, err, dq }) => ({ sci, err, dq }));
  // a buffer not in shared memory would be moved to one worker, not divided in place
  const inShared = (a: { buffer: ArrayBufferLike }) => a.buffer instanceof SharedArrayBuffer;
  if (!targets.every((t) => inShared(t.sci) && inShared(t.err) && inShared(t.dq))) return false;
  const tasks = Array.from({ length: Math.min(pool.size, targets.length) }, (_, w) => ({
    targets: targets.filter((_, k) => k % pool.size === w),
    nx: m.nx,
    ny: m.ny,
    border: m.border,
    flat,
    gain: refs.ccd.meanGain,
  }));
  await pool.run(irTask("irFlatTask"), tasks);
  return true;
}

/** One exposure on the program's pool; the next starts from the memory this one freed. */
export async function calibrateIr(root: string, options: IrRunOptions, pool: WorkerPool): Promise<string[]> {
  const names = await calibrateRamp(root, options, pool);
  collectGarbage();
  await pool.onEveryWorker(irTask("collectGarbageTask"), {});
  return names;
}

async function calibrateRamp(root: string, options: IrRunOptions, pool: WorkerPool): Promise<string[]> {
  const { dir, env, log } = options;
  const file = FitsFile.open(join(dir, `${root}_raw.fits`));
  let raw: ReturnType<typeof readMultiAccum>;
  try {
    raw = readMultiAccum(file, { shared: true });
  } finally {
    file.close();
  }
  const primary = raw.primary;
  const switches: IrSwitches = switchesOf(primary, IR_SWITCHES);
  const perform = (name: string) => (switches as Record<string, string>)[name] === "PERFORM";
  const names = resolveReferences(primary, "IR", perform, env);
  const lastSci = raw.headers[raw.headers.length - 1].sci;
  const ccdtab = tableOf("CCDTAB", names.CCDTAB);
  if (!ccdtab) throw new CalibrationError("CAL_FILE_MISSING", "CCDTAB is needed");
  const ccd = selectWf3CcdParameters(ccdtab.rows, ccdSelection(primary, lastSci, "IR"), ccdtab.name);
  const overscan = findWf3Overscan(tableOf("OSCNTAB", names.OSCNTAB)?.rows ?? [], {
    ccdamp: ccd.ccdamp,
    ccdchip: ccd.ccdchip,
    bin: [1, 1],
    nx: raw.nx,
    ny: raw.ny,
  });
  // in shared memory: FLATCORR's workers divide by it in place, with no copy of it
  const flat = names.PFLTFILE && readReferenceImage("PFLTFILE", names.PFLTFILE.path, { shared: true });
  const refs: IrReferences = {
    ccd,
    overscan,
    bpixtab: bpixRows(names.BPIXTAB),
    nlin: nlinOf(names.NLINFILE),
    dark: irDarkOf(names.DARKFILE),
    flat: flat?.imsets.find((s) => s.chip === ccd.ccdchip) ?? flat?.imsets[0],
    imphttab: imphttabOf(names.IMPHTTAB),
    notes: referenceNotes(names, ccd),
  };
  // `refs` alone holds the dark and the coefficients from here: a step done with them can let them go
  forgetIrRampReferences(names);
  const m: MultiAccum = {
    nx: raw.nx,
    ny: raw.ny,
    reads: raw.reads,
    border: { x: overscan.trimx, y: overscan.trimy },
    ltv: [lastSci.getNumber("LTV1", 0), lastSci.getNumber("LTV2", 0)],
    chip: ccd.ccdchip,
  };
  log(`WF3IR: ${root}_raw.fits has ${m.reads.length} reads`);
  logMemory(log, "WF3IR: raw and references read");
  logMemory(log, "WF3IR: before the steps up to CRCORR");
  const prepared = prepareRamp(m, switches, refs, {
    filter: text(primary, "FILTER"),
    expstart: primary.getNumber("EXPSTART", 0),
    sampSeq: text(primary, "SAMP_SEQ", "NONE"),
    ccdamp: ccd.ccdamp,
    ccdgain: ccd.ccdgain,
  });
  // The dark and the non-linearity coefficients are done with: not held through CRCORR and the writes.
  refs.dark = undefined;
  refs.nlin = undefined;
  collectGarbage();
  logMemory(log, "WF3IR: steps up to CRCORR done");

  let cr: ReturnType<typeof crImageOf> | undefined;
  if (switches.CRCORR === "PERFORM") {
    const { thresh, badinpdq } = irRampParameters(crrejtabOf(names.CRREJTAB)?.rows ?? []);
    const image = sharedImage(m.reads[m.reads.length - 1]);
    const tasks = rowTasks(m, pool.size, image, {
      x0: m.border.x[0],
      x1: m.nx - m.border.x[1],
      meanGain: ccd.meanGain,
      thresh,
      badinpdq,
      zsigDone: prepared.zsigDone,
      countRates: prepared.countRates,
      sampzero: prepared.sampzero,
    });
    const bands = await pool.run(irTask("irCrBandTask"), tasks);
    const curved = bands.reduce((sum, band) => sum + band.curved, 0);
    log(`CRCORR: threshold ${thresh} sigma, BADINPDQ ${badinpdq}, ${curved} pixels unstable`);
    cr = image;
  }
  logMemory(log, "WF3IR: CRCORR done");
  const flatDone = cr !== undefined && switches.FLATCORR === "PERFORM" && (await flatOnWorkers(m, refs, cr, pool));
  const sdqflags = lastSci.getInt("SDQFLAGS", 65535);
  const finished = finishRamp(prepared, cr, switches, sdqflags, flatDone);
  options.steps?.([...prepared.history, ...finished.history], [...prepared.steps, ...finished.steps]);

  const out = primary.clone();
  applyKeywords(out, prepared.primary);
  applyKeywords(out, finished.primary);
  setKeyword(out, "CAL_VER", options.calVer);
  const fltPrimary = out.clone();
  addHistory(out, [...prepared.history, ...finished.history]);
  addHistory(fltPrimary, [...prepared.history, ...finished.fltHistory]);

  const ima = raw.headers.map((h, k): MultiAccumGroup => {
    const read = m.reads[k];
    const sci = h.sci.clone();
    applyKeywords(sci, { ...prepared.readKeywords[k], BUNIT: finished.bunit, ...finished.readStatistics[k].sci });
    const err = h.err.clone();
    applyKeywords(err, { BUNIT: finished.bunit, ...finished.readStatistics[k].err });
    return { headers: { sci, err, dq: h.dq, samp: h.samp, time: h.time }, ...read };
  });
  ima.reverse();
  const imaName = `${root}_ima.fits`;
  setKeyword(out, "FILENAME", imaName);
  writeMultiAccum(join(dir, imaName), out, ima, m.nx, m.ny);
  logMemory(log, "WF3IR: _ima written");

  const fltName = `${root}_flt.fits`;
  setKeyword(fltPrimary, "FILENAME", fltName);
  const flt = finished.flt;
  const last = raw.headers[raw.headers.length - 1];
  const geometry = (h: Header, extra: Record<string, string | number> = {}) => {
    const c = h.clone();
    applyKeywords(c, { LTV1: flt.geometry.ltv[0], LTV2: flt.geometry.ltv[1], ...extra });
    for (const [k, shift] of [
      ["CRPIX1", m.border.x[0]],
      ["CRPIX2", m.border.y[0]],
    ] as const) {
      const v = c.get(k);
      if (typeof v === "number") setKeyword(c, k, v - shift);
    }
    return c;
  };
  const fltSci = geometry(last.sci, { BUNIT: finished.bunit, ...finished.fltKeywords });
  const fltGroup: MultiAccumGroup = {
    headers: {
      sci: fltSci,
      err: geometry(last.err, { BUNIT: finished.bunit, ...finished.errKeywords }),
      dq: geometry(last.dq),
      samp: geometry(last.samp),
      time: geometry(last.time),
    },
    sci: flt.sci,
    err: flt.err,
    dq: flt.dq,
    samp: flt.samp,
    time: flt.time,
  };
  writeMultiAccum(join(dir, fltName), fltPrimary, [fltGroup], flt.nx, flt.ny);
  return [imaName, fltName];
}

/**
 * The CTE branch of calacs's CCD program (hstcal calacs.c ProcessACSCCD): with PCTECORR = PERFORM an ACS/WFC
 * exposure's ACSCCD output is copied (the CCD steps run once for both branches), the copy corrected by ACSCTE
 * on the program's pool, one chip per task from and to the chip store, rejected into the `_crc` beside the `_crj`, and calibrated by ACS2D
 * with DRKCFILE as its dark into the `_flc`. Everything the correction needs is read and checked when the
 * exposure is prepared, before any pixel work, so that bad input fails with nothing written.
 */
import type { AcsCcdResult } from "../../calib/acs/acsccd.js";
import { acsWfcCorrections } from "../../calib/common/cte/orientation.js";
import { cteScaleFraction } from "../../calib/common/cte/trap-map.js";
import { CalibrationError } from "../../calib/common/errors.js";
import { FitsFile, type Header } from "../../fits/index.js";
import type { AcsSwitches } from "../acs/keywords.js";
import { type ChipStore, withoutPixels } from "../chip-store.js";
import type { ImageSetFile } from "../imset-io.js";
import { cloneImageSetFile, type ReferenceName, type ReferenceNames } from "../program-files.js";
import type { DetectorRun, Exposure, Phase } from "../program-run.js";
import type { Env } from "../reference-files.js";
import { taskModule, type WorkerPool } from "../worker-pool.js";
import { wfcAmpRegions, wfcChipAmps } from "./acs-amp-regions.js";
import { applyCteHistory, type CteHistoryInput } from "./acs-history.js";
import type { CteChipTaskArgs, CteIterationOverrides } from "./acs-tasks.js";
import { type CteAmp, type Pctetab, readPctetab } from "./pctetab.js";
import { withRawOverrides } from "./raw-overrides.js";
import { cteReferences } from "./references.js";

const cteTask = taskModule<typeof import("./acs-tasks.js")>(new URL("./acs-tasks.js", import.meta.url));

export interface AcsCteBranch {
  pctetab: ReferenceName & { pedigree: string; descrip: string };
  /** DRKCFILE, when DARKCORR = PERFORM: the dark of the `_flc`. */
  drkcfile?: ReferenceName;
  table: Pctetab;
  iterations: CteIterationOverrides;
  expstart: number;
  scaleFraction: number;
  /** The exposure's ACSCCD output corrected (hstcal's blc_tmp), once ACSCTE has run. */
  file?: ImageSetFile;
}

/** What the branch needs of a calacs member. */
export interface CteMember extends Exposure {
  raw: string;
  file: ImageSetFile;
  switches: AcsSwitches;
  references: ReferenceNames;
  ccd?: AcsCcdResult;
  cte?: AcsCteBranch;
}

const AMP_INDEX: Record<CteAmp, number> = { A: 0, B: 1, C: 2, D: 3 };

const text = (h: Header, k: string) => String(h.get(k) ?? "").trim();

function headerNote(path: string): { pedigree: string; descrip: string } {
  const file = FitsFile.open(path);
  try {
    const h = file.hdus[0].header;
    return { pedigree: text(h, "PEDIGREE"), descrip: text(h, "DESCRIP") };
  } finally {
    file.close();
  }
}

/** Runs `read`, naming the raw and the switch in a calibration error. */
function forRaw<T>(raw: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof CalibrationError) || e.message.startsWith(raw)) throw e;
    throw new CalibrationError(e.code, `${raw}: PCTECORR = PERFORM: ${e.message}`, { step: "PCTECORR" });
  }
}

/**
 * The exposure's CTE branch when PCTECORR = PERFORM and the native engine corrects it (ACS/WFC, subarrays too);
 * otherwise PCTECORR is turned OMIT with a trailer line saying why. Reads and checks the PCTETAB, the raw's
 * overrides, the dates and DRKCFILE: any problem is a CalibrationError naming the file and keyword.
 */
export function prepareCte(
  raw: string,
  primary: Header,
  switches: AcsSwitches,
  { env, trailer, pctetab }: { env: Env; trailer: string[]; pctetab?: string },
): AcsCteBranch | undefined {
  if (switches.PCTECORR !== "PERFORM") return undefined;
  const omit = (why: string) => {
    trailer.push(`PCTECORR: ${why}: no _flc/_crc products`);
    switches.PCTECORR = "OMIT";
    return undefined;
  };
  if (text(primary, "DETECTOR").toUpperCase() !== "WFC") return omit("calacs corrects CTE of ACS/WFC data only");
  return forRaw(raw, () => {
    const needsDark = switches.DARKCORR === "PERFORM";
    const references = cteReferences(primary, raw, env, needsDark, pctetab);
    if (pctetab) trailer.push(`PCTECORR: using PCTETAB ${pctetab} (--pctetab), not the header's`);
    const table = readPctetab(references.pctetab, "ACS");
    const expstart = primary.get("EXPSTART");
    if (typeof expstart !== "number") {
      throw new CalibrationError(
        "HEADER_PROBLEM",
        `keyword EXPSTART is ${expstart === undefined ? "missing" : "not a number"}`,
      );
    }
    const over = (set: Pctetab["parallel"]) => withRawOverrides(set, table.smoothingMode, primary, raw).set;
    const parallel = over(table.parallel);
    const iterations: CteIterationOverrides = { parallel: parallel.iterations, serial: {} };
    const where = (extension: string) => `PCTETAB ${references.pctetab} extension ${extension}`;
    const scaleFraction = cteScaleFraction(expstart, parallel.date0, parallel.date1, where(parallel.extension));
    if (acsWfcCorrections(expstart).includes("serial")) {
      for (const amp of ["A", "B", "C", "D"] as const) {
        const set = over(table.serial[amp]!);
        cteScaleFraction(expstart, set.date0, set.date1, where(set.extension));
        iterations.serial[amp] = set.iterations;
      }
    }
    const name = (keyword: string) => text(primary, keyword);
    return {
      pctetab: { name: pctetab ?? name("PCTETAB"), path: references.pctetab, ...headerNote(references.pctetab) },
      drkcfile: references.drkcfile ? { name: name("DRKCFILE"), path: references.drkcfile } : undefined,
      table,
      iterations,
      expstart,
      scaleFraction,
    };
  });
}

/** The chip store's file of the corrected image set `k` of a member (hstcal's `_blc_tmp`). */
const blcTmp = (store: ChipStore, root: string, k: number) => store.path(`${root}_blc_tmp_${k + 1}`);

/**
 * The branch's file: a copy of the headers whose image sets will be in the chip store once corrected (the
 * branches go on separately). The member's image sets must be there already (ACSCCD's output).
 */
function storedCopy(m: CteMember, store: ChipStore): ImageSetFile {
  const copy = cloneImageSetFile(m.file);
  copy.imsets.forEach((hdus, k) => {
    if (!m.file.imsets[k].stored) throw new Error(`${m.raw}[SCI,${hdus.ver}]: ACSCTE needs the chip in the chip store`);
    const s = hdus.set;
    const geometry = { ltv: [...s.geometry.ltv] as [number, number], ltm: [...s.geometry.ltm] as [number, number] };
    hdus.set = { ...withoutPixels(s), geometry };
    hdus.stored = blcTmp(store, m.root, k);
  });
  return copy;
}

const ccdampOf = (m: CteMember) => text(m.file.primary, "CCDAMP");

/** The task of chip `k`: its amps corrected from the member's stored chip into the branch's. */
function chipTask(m: CteMember, cte: AcsCteBranch, file: ImageSetFile, k: number): CteChipTaskArgs {
  const hdus = file.imsets[k];
  const { set } = hdus;
  const ccd = m.ccd!.imsets[k];
  const amps = wfcAmpRegions({
    at: `${m.raw}[SCI,${hdus.ver}]`,
    ccdamp: ccdampOf(m),
    chip: set.chip,
    nx: set.nx,
    ny: set.ny,
    ampx: ccd.parameters.ampx,
    ltv: set.geometry.ltv,
    blevcorrDone: ccd.trimmed,
  });
  const readNoise: Partial<Record<CteAmp, number>> = {};
  for (const { amp } of amps) readNoise[amp] = Math.fround(ccd.parameters.readnoise[AMP_INDEX[amp]]);
  return {
    raw: m.raw,
    extver: hdus.ver,
    pctetab: cte.pctetab.path,
    iterations: cte.iterations,
    expstart: cte.expstart,
    readNoise,
    like: set,
    stored: m.file.imsets[k].stored!,
    store: hdus.stored!,
    amps,
  };
}

function historyInput(m: CteMember, cte: AcsCteBranch): CteHistoryInput {
  const serial = acsWfcCorrections(cte.expstart).includes("serial")
    ? cte.file!.imsets.flatMap((h) => wfcChipAmps(ccdampOf(m), h.set.chip, `${m.raw}[SCI,${h.ver}]`))
    : [];
  return {
    table: cte.table,
    pctetab: cte.pctetab,
    parallel: cte.iterations.parallel,
    serial: serial.map((amp) => ({ amp, iterations: cte.iterations.serial[amp]! })),
    scaleFraction: cte.scaleFraction,
    readNoise: m.ccd!.imsets[0].parameters.readnoise,
  };
}

/**
 * ACSCTE: every chip of the exposures with a CTE branch, corrected on the pool (one chip per task, read from
 * and written to the chip store).
 */
export function ctePhase<M extends CteMember>(): Phase<M> {
  return {
    name: "ACSCTE",
    when: ({ members }) => members.some((m) => m.cte),
    on: ({ members }) => members.flatMap((m) => (m.cte ? [m.raw] : [])).join(" "),
    run: async ({ members }, { pool, log, store }) => {
      const chips: { m: M; k: number }[] = [];
      const args: CteChipTaskArgs[] = [];
      for (const m of members) {
        if (!m.cte) continue;
        const file = storedCopy(m, store);
        m.cte.file = file;
        file.imsets.forEach((_, k) => {
          chips.push({ m, k });
          args.push(chipTask(m, m.cte!, file, k));
        });
      }
      // The log lines in task order (chip by chip, amp by amp), whatever order the tasks finish in.
      const changes = await pool.run(cteTask("cteChipTask"), args);
      chips.forEach(({ m, k }, n) => {
        const ver = m.cte!.file!.imsets[k].ver;
        for (const [what, change] of Object.entries(changes[n])) {
          log(`PCTECORR ${m.raw}[SCI,${ver}] amp ${what}: total change ${change.toFixed(3)} e-`);
        }
      });
      for (const m of members) {
        if (!m.cte?.file) continue;
        applyCteHistory(m.cte.file.primary, historyInput(m, m.cte));
        m.trailer.push(`PCTECORR    PERFORM`, `    PCTETAB ${m.cte.pctetab.name}`, `PCTECORR    COMPLETE`);
      }
    },
  };
}

/** The references of the `_flc`'s ACS2D: DRKCFILE in place of DARKFILE. */
export function cteTwoDReferences(m: CteMember): ReferenceNames {
  return m.cte?.drkcfile ? { ...m.references, DARKFILE: m.cte.drkcfile } : m.references;
}

const crcProducts = new WeakMap<object, ImageSetFile>();

/** The `_crc` ACSREJ made of the branch's exposures, if any. */
export function cteProduct(run: DetectorRun<CteMember>): ImageSetFile | undefined {
  return crcProducts.get(run);
}

/**
 * ACSREJ again on the corrected exposures: the `_crc` (its headers from the first exposed member's corrected
 * file), its record added to the product's trailer after the `_crj`'s.
 */
export function cteRejectionPhase<M extends CteMember>(
  makesProduct: (run: DetectorRun<M>) => boolean,
  combine: (
    files: ImageSetFile[],
    run: DetectorRun<M>,
    pool: WorkerPool,
    store: ChipStore,
  ) => Promise<{ file: ImageSetFile; lines: string[] }>,
): Phase<M> {
  return {
    name: "ACSREJ",
    when: (run) => makesProduct(run) && run.members.every((m) => m.cte?.file),
    on: ({ members, product }) => `${members.map((m) => `${m.root}_blc`).join(" ")} -> ${product!.root}_crc.fits`,
    run: async (run, { pool, store }) => {
      const { file, lines } = await combine(
        run.members.map((m) => m.cte!.file!),
        run,
        pool,
        store,
      );
      crcProducts.set(run, file);
      run.productTrailer?.push(...lines);
    },
  };
}

/**
 * calwf3 for WFC3/UVIS exposures: WF3CCD per chip (DN, trimmed), WF3REJ per chip for a CR-SPLIT / REPEAT
 * association, WF32D per image set (`_flt`, `_crj`), in worker threads; headers and trailers written here.
 */
import { join } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { imsetSections } from "../../calib/common/step-trailer.js";
import { anythingToDo, switchKeywords } from "../../calib/common/steps.js";
import type { SwitchState } from "../../calib/common/switches.js";
import { selectWf3CcdParameters, type Wf3CcdParameters } from "../../calib/wfc3/ccdtab.js";
import { findWf3Overscan } from "../../calib/wfc3/oscntab.js";
import { UVIS_STEPS } from "../../calib/wfc3/steps.js";
import { ccdTableHistory } from "../../calib/wfc3/uvis-history.js";
import type { Wf3CcdResult } from "../../calib/wfc3/wf3ccd.js";
import { VERSION } from "../../version.js";
import { combineMembers } from "../cr-combine.js";
import { applyGeometry, applyKeywords, setKeyword } from "../headers.js";
import { type ImageSetFile, readImageSetFile } from "../imset-io.js";
import { type ProductPlan, timedPhase, writeTrailer } from "../program.js";
import { resolveReferenceNames, writeProduct } from "../program-files.js";
import type { Env } from "../reference-files.js";
import { runTasks, taskModule } from "../worker-pool.js";
import { ccdSelection, switchesOf, text } from "./keywords.js";
import { type ReferenceNames, resolveReferences, tableOf } from "./references.js";
import { applyWf32d, logSteps } from "./uvis-2d-results.js";
import { type AtodChoice, chooseAtod } from "./uvis-atod.js";
import { ccdtabNote, recordWf3Ccd } from "./uvis-headers.js";
import type { Uvis2dTaskArgs, UvisCcdTaskArgs, UvisRejectTaskArgs } from "./uvis-tasks.js";

const uvisTask = taskModule<typeof import("./uvis-tasks.js")>(new URL("./uvis-tasks.js", import.meta.url));

type UvisSwitchName =
  | "DQICORR"
  | "ATODCORR"
  | "BLEVCORR"
  | "BIASCORR"
  | "FLSHCORR"
  | "CRCORR"
  | "RPTCORR"
  | "DARKCORR"
  | "FLATCORR"
  | "SHADCORR"
  | "PHOTCORR"
  | "FLUXCORR"
  | "PCTECORR";
type UvisSwitches = Record<UvisSwitchName, SwitchState>;
const UVIS_SWITCHES = switchKeywords(UVIS_STEPS) as UvisSwitchName[];

export interface UvisRunOptions {
  dir: string;
  env: Env;
  calVer: string;
  workers?: number;
  log: (line: string) => void;
}

interface Member {
  root: string;
  file: ImageSetFile;
  switches: UvisSwitches;
  references: ReferenceNames;
  params: Wf3CcdParameters[];
  trailer: string[];
  atod?: AtodChoice;
}

function readRaw(dir: string, root: string): ImageSetFile {
  return readImageSetFile(join(dir, `${root}_raw.fits`));
}

function prepare(dir: string, root: string, env: Env): Member | undefined {
  const file = readRaw(dir, root);
  const switches: UvisSwitches = switchesOf(file.primary, UVIS_SWITCHES);
  const trailer = [`CALWF3 (caldp ${VERSION}) processing ${root}_raw.fits`];
  if (switches.PCTECORR === "PERFORM") {
    trailer.push("PCTECORR: pixel-based CTE correction is not in the native engine yet: no _flc/_crc products");
    switches.PCTECORR = "OMIT";
  }
  if (!anythingToDo(UVIS_STEPS, switches)) return undefined;
  const perform = (name: string) => (switches as Record<string, string>)[name] === "PERFORM";
  const references = resolveReferences(file.primary, "UVIS", perform, env);
  if (perform("BIASCORR")) Object.assign(references, fullWellMap(file.primary, env, trailer));
  const ccdtab = tableOf("CCDTAB", references.CCDTAB);
  if (!ccdtab) throw new CalibrationError("CAL_FILE_MISSING", "CCDTAB is needed");
  const params = file.imsets.map((hdus) =>
    selectWf3CcdParameters(ccdtab.rows, ccdSelection(file.primary, hdus.sci, "UVIS"), ccdtab.name),
  );
  let atod: AtodChoice | undefined;
  if (switches.ATODCORR === "PERFORM") {
    atod = chooseAtod(file.primary, file.imsets[0].sci, references.ATODTAB);
    if (atod.dummy) switches.ATODCORR = "DUMMY";
  }
  return { root, file, switches, references, params, trailer, atod };
}

/**
 * The optional SATUFILE: named and present, it flags the full well per pixel; otherwise (N/A, absent or
 * missing on disk) calwf3 carries on with the CCDTAB SATURATE, as hstcal getflags.c does.
 */
function fullWellMap(primary: ImageSetFile["primary"], env: Env, trailer: string[]): ReferenceNames {
  try {
    const found = resolveReferenceNames(primary, ["SATUFILE"], () => true, env);
    if (!found.SATUFILE)
      trailer.push("SATUFILE: none, a single threshold value is used for full-well saturation flagging");
    return found;
  } catch (e) {
    trailer.push(`${(e as Error).message}: a single threshold value is used for full-well saturation flagging`);
    return {};
  }
}

function ccdTasks(m: Member): UvisCcdTaskArgs[] {
  const oscn = tableOf("OSCNTAB", m.references.OSCNTAB)?.rows ?? [];
  const binning: [number, number] = [m.file.primary.getInt("BINAXIS1", 1), m.file.primary.getInt("BINAXIS2", 1)];
  const subarray = m.file.primary.get("SUBARRAY") === true;
  return m.file.imsets.map((hdus, k) => {
    const params = m.params[k];
    return {
      set: hdus.set,
      sdqflags: hdus.sci.getInt("SDQFLAGS", 65535),
      params,
      overscan: findWf3Overscan(oscn, {
        ccdamp: params.ccdamp,
        ccdchip: params.ccdchip,
        bin: binning,
        nx: hdus.set.nx,
        ny: hdus.set.ny,
        subarray: subarray ? { ltv1: hdus.set.geometry.ltv[0] } : undefined,
      }),
      switches: {
        dqicorr: m.switches.DQICORR,
        atodcorr: m.switches.ATODCORR,
        blevcorr: m.switches.BLEVCORR,
        biascorr: m.switches.BIASCORR,
        flshcorr: m.switches.FLSHCORR,
      },
      binning,
      subarray,
      flashdur: m.file.primary.getNumber("FLASHDUR", 0),
      flashsta: text(m.file.primary, "FLASHSTA"),
      expstart: m.file.primary.getNumber("EXPSTART", 0),
      extver: k + 1,
      // its own copy: the pool transfers typed arrays' buffers, and each chip is a task
      atod: m.atod && { ...m.atod.correction, values: m.atod.correction.values.slice() },
      references: m.references,
    };
  });
}

function applyCcd(m: Member, results: Wf3CcdResult[]): void {
  m.trailer.push(...recordWf3Ccd(m.file.primary, m.switches, m.references, m.params, results, m.atod?.rowDescrip));
  results.forEach((r, k) => {
    const hdus = m.file.imsets[k];
    hdus.set = r.set;
    applyKeywords(hdus.sci, r.sci);
    setKeyword(hdus.err, "BUNIT", "COUNTS");
    if (r.trimmed) {
      applyGeometry([hdus.sci, hdus.err, hdus.dq], r.set.geometry, r.crpixShift);
      for (const h of [hdus.err, hdus.dq]) {
        setKeyword(h, "SIZAXIS1", r.set.nx);
        setKeyword(h, "SIZAXIS2", r.set.ny);
      }
    }
  });
}

function twoDTasks(file: ImageSetFile, m: Member): Uvis2dTaskArgs[] {
  return file.imsets.map((hdus, k) => {
    return {
      set: hdus.set,
      params: m.params[k],
      switches: {
        darkcorr: m.switches.DARKCORR,
        flatcorr: m.switches.FLATCORR,
        shadcorr: m.switches.SHADCORR,
        photcorr: m.switches.PHOTCORR,
        fluxcorr: m.switches.FLUXCORR,
      },
      exptime: file.primary.getNumber("EXPTIME"),
      expstart: file.primary.getNumber("EXPSTART", 0),
      filter: text(file.primary, "FILTER"),
      sdqflags: hdus.sci.getInt("SDQFLAGS", 65535),
      ncombine: hdus.sci.getInt("NCOMBINE", 1),
      references: m.references,
    };
  });
}

/** WF3REJ of every chip of the members, through ACSREJ's rejection in electrons per amp (see uvis-tasks.ts). */
async function combine(members: Member[], product: ProductPlan, workers?: number) {
  const rows = (tableOf("CRREJTAB", members[0].references.CRREJTAB)?.rows ?? []).filter((r) => r.IRRAMP !== true);
  const out = await combineMembers({
    members: members.map((m) => m.file),
    product,
    crrejRows: rows,
    flashdurs: members.map(() => 0),
    darktime: (p) => p.getNumber("DARKTIME", p.getNumber("EXPTIME")),
    task: uvisTask("uvisRejectTask"),
    args: (k, common): UvisRejectTaskArgs => {
      const template = members[0].file.imsets[k].set;
      return { ...common, params: members[0].params[k], ltv1: template.geometry.ltv[0] };
    },
    workers,
  });
  setKeyword(out.primary, "CRCORR", "COMPLETE");
  return out;
}

export async function calibrateUvis(
  roots: string[],
  product: ProductPlan | undefined,
  options: UvisRunOptions,
): Promise<{ outputs: string[]; nothingToDo: string[] }> {
  const { dir, log } = options;
  const members: Member[] = [];
  const nothingToDo: string[] = [];
  for (const root of roots) {
    const m = prepare(dir, root, options.env);
    if (m) members.push(m);
    else {
      log(`${root}: no calibration switch is PERFORM: nothing to do`);
      nothingToDo.push(root);
    }
  }
  const outputs: string[] = [];
  if (members.length === 0) return { outputs, nothingToDo };

  const raws = members.map((m) => `${m.root}_raw.fits`).join(" ");
  log(`WF3CCD: ${raws}`);
  const ccdTaskList = members.flatMap(ccdTasks);
  const ccdPhase = await timedPhase("WF3CCD", raws, log, () =>
    runTasks(uvisTask("uvisCcdTask"), ccdTaskList, options.workers),
  );
  const ccd = ccdPhase.value;
  let at = 0;
  for (const m of members) {
    applyCcd(m, ccd.slice(at, at + m.file.imsets.length));
    m.trailer.push(ccdPhase.line);
    at += m.file.imsets.length;
  }

  let crj: ImageSetFile | undefined;
  let rejLine: string | undefined;
  const crcorr = members[0].switches.CRCORR === "PERFORM" || members[0].switches.RPTCORR === "PERFORM";
  if (product && members.length >= 2 && crcorr) {
    const on = `${members.map((m) => m.root).join(" ")} -> ${product.root}_crj.fits`;
    log(`WF3REJ: ${on}`);
    ({ value: crj, line: rejLine } = await timedPhase("WF3REJ", on, log, () =>
      combine(members, product, options.workers),
    ));
  }

  log("WF32D");
  const tasks = members.flatMap((m) => twoDTasks(m.file, m));
  const crjTasks = crj ? twoDTasks(crj, members[0]) : [];
  const done = await runTasks(uvisTask("uvis2dTask"), [...tasks, ...crjTasks], options.workers);
  at = 0;
  for (const m of members) {
    const results = done.slice(at, at + m.file.imsets.length);
    at += m.file.imsets.length;
    const ccdtab = m.params[0] ? ccdtabNote(m.references, m.params[0]) : undefined;
    const history = [...(ccdtab ? ccdTableHistory(ccdtab) : []), ...(results[0]?.history ?? [])];
    m.trailer.push(
      ...history,
      ...imsetSections(
        "WF32D",
        results.map((r) => r.steps),
      ),
    );
    m.trailer.push(...applyWf32d(m.file, results, history));
    logSteps(log, `${m.root}_flt.fits`, results);
    outputs.push(writeProduct(dir, `${m.root}_flt.fits`, m.file, options.calVer));
    writeTrailer(dir, `${m.root}.tra`, m.trailer);
  }
  if (crj && product) {
    const crjResults = done.slice(at);
    const ccdtab = members[0].params[0] ? ccdtabNote(members[0].references, members[0].params[0]) : undefined;
    logSteps(log, `${product.root}_crj.fits`, crjResults);
    const warnings = applyWf32d(crj, crjResults, [
      ...(ccdtab ? ccdTableHistory(ccdtab) : []),
      ...(crjResults[0]?.history ?? []),
    ]);
    outputs.push(writeProduct(dir, `${product.root}_crj.fits`, crj, options.calVer));
    const lines = [
      `CALWF3 (caldp ${VERSION}) product ${product.root}_crj.fits from ${members.map((m) => m.root).join(" ")}`,
      rejLine!,
    ];
    writeTrailer(dir, `${product.root}.tra`, [...lines, ...warnings]);
  }
  return { outputs, nothingToDo };
}

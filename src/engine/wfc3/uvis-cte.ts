/**
 * calwf3's CTE branch for UVIS (hstcal procccd.c with PCTECORR = PERFORM): WF3CTE first makes each exposure's
 * corrected raw (`_rac_tmp`, engine/cte/wfc3-uvis.ts); once the ordinary branch has written `_flt`/`_crj`, the
 * same WF3CCD, WF3REJ and WF32D phases run again on the corrected raws, with DRKCFILE as the dark, and write
 * `_flc`/`_crc`. Both branches share each exposure's trailer.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { referenceLines } from "../../calib/common/ccd-history.js";
import { CalibrationError } from "../../calib/common/errors.js";
import { VERSION } from "../../version.js";
import { runUvisCte } from "../cte/wfc3-uvis.js";
import { readImageSetHeaders } from "../imset-io.js";
import type { DetectorRun, Phase, ProgramContext } from "../program-run.js";
import { requireReferenceOf } from "../reference-files.js";
import { referenceNote } from "./uvis-headers.js";
import type { Member } from "./uvis-members.js";

type PhaseRun = (run: DetectorRun<Member>, ctx: ProgramContext) => Promise<void>;

/** The CTE branch of a run, made by WF3CTE. */
const branches = new WeakMap<DetectorRun<Member>, DetectorRun<Member>>();

const correcting = (m: Member) => m.switches.PCTECORR === "PERFORM";

async function ctePhase(run: DetectorRun<Member>, ctx: ProgramContext): Promise<void> {
  const members: Member[] = [];
  for (const m of run.members.filter(correcting)) {
    const raw = `${m.root}_raw.fits`;
    // DRKCFILE replaces DARKFILE in the CTE branch (hstcal get2dflags.c); checked before any pixel work.
    const drkc = m.switches.DARKCORR === "PERFORM" ? requireCteReference(m, "DRKCFILE", ctx) : undefined;
    const { name, trailer } = await runUvisCte({
      dir: ctx.dir,
      root: m.root,
      raw,
      primary: m.file.primary,
      env: ctx.env,
      pool: ctx.pool,
      calVer: `caldp ${VERSION} (native calwf3)`,
      historyOf: (keyword, path) =>
        referenceLines("table", referenceNote({ name: String(m.file.primary.get(keyword)), path })),
    });
    for (const line of trailer) ctx.log(line);
    m.trailer.push(...trailer);
    const path = join(ctx.dir, name);
    const references = drkc ? { ...m.references, DARKFILE: drkc } : m.references;
    members.push({ ...m, raw: path, file: readImageSetHeaders(path), references });
  }
  branches.set(run, { ...run, members, combined: undefined, productTrailer: undefined });
}

function requireCteReference(m: Member, keyword: string, ctx: ProgramContext) {
  const primary = m.file.primary;
  try {
    return { name: String(primary.get(keyword)), path: requireReferenceOf(primary, keyword, ctx.env) };
  } catch (e) {
    if (!(e instanceof CalibrationError)) throw e;
    throw new CalibrationError(e.code, `${m.root}_raw.fits: PCTECORR = PERFORM: ${e.message}`, { step: "PCTECORR" });
  }
}

/** Runs a phase of the branch; the corrected raws are removed when it fails or when `last`. */
async function inBranch(b: DetectorRun<Member>, work: () => Promise<void>, last = false): Promise<void> {
  let failed = true;
  try {
    await work();
    failed = false;
  } finally {
    if (failed || last) for (const m of b.members) rmSync(m.raw, { force: true });
  }
}

/** The ordinary phases' writers, with the CTE products' names. */
function renamed(ctx: ProgramContext): ProgramContext {
  const name = (n: string) => n.replace(/_flt\.fits$/, "_flc.fits").replace(/_crj\.fits$/, "_crc.fits");
  return { ...ctx, writeProduct: (n, file) => ctx.writeProduct(name(n), file) };
}

const racNames = (branch: DetectorRun<Member>) => branch.members.map((m) => `${m.root}_rac_tmp.fits`).join(" ");

/** WF3CTE (first) and the CTE branch's phases (last), around the ordinary ones. */
export function ctePhases(
  ccd: PhaseRun,
  reject: Phase<Member>,
  twoD: PhaseRun,
): { first: Phase<Member>[]; last: Phase<Member>[] } {
  const branch = (run: DetectorRun<Member>) => branches.get(run);
  const active = (run: DetectorRun<Member>) => (branch(run)?.members.length ?? 0) > 0;
  return {
    first: [{ name: "WF3CTE", when: (run) => run.members.some(correcting), run: ctePhase }],
    last: [
      {
        name: "WF3CCD",
        when: active,
        on: (run) => racNames(branch(run)!),
        run: (run, ctx) => inBranch(branch(run)!, () => ccd(branch(run)!, ctx)),
      },
      {
        name: reject.name,
        when: (run) => active(run) && (reject.when?.(branch(run)!) ?? true),
        on: (run) => racNames(branch(run)!),
        run: async (run, ctx) => {
          const b = branch(run)!;
          await inBranch(b, () => reject.run(b, renamed(ctx)));
          // One product trailer for both branches, as calwf3 writes it.
          if (run.productTrailer && b.productTrailer) run.productTrailer.push(...b.productTrailer);
          b.productTrailer = run.productTrailer ?? b.productTrailer;
        },
      },
      {
        name: "WF32D",
        when: active,
        on: (run) => racNames(branch(run)!),
        run: async (run, ctx) => {
          const b = branch(run)!;
          await inBranch(b, () => twoD(b, renamed(ctx)), true);
        },
      },
    ],
  };
}

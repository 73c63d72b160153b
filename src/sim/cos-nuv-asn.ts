/**
 * A COS NUV FP-POS association (`l…010_asn`): 2–4 TIME-TAG exposures of the point source of cos-nuv.ts, each at
 * its FPOFFSET (the spectrum FP_STEP_PIXELS columns along per step, FPPOS = FPOFFSET + 3), one after the other,
 * sharing one reference set whose DISPTAB and LAMPTAB have a row per FPOFFSET; the `_asn` names them EXP-FP and
 * the PROD-FP product calcos writes `_x1dsum` and `_x1dsum<FPPOS>` for.
 */
import { join } from "node:path";
import { writeAsnTable } from "./asn.js";
import { type SimulatedCosNuv, simulateCosNuv } from "./cos-nuv.js";

export interface CosNuvAsnOptions {
  /** The association's rootname: 9 characters ending in 0 (calcos takes a product name ending in 0 as such). */
  asnId: string;
  out: string;
  seed?: number;
  /** One FPOFFSET (−2 … 1) per exposure; default [-1, 0, 1, 1] (two exposures at FPPOS 4). */
  fpOffsets?: number[];
  sourceRate?: number;
  backgroundRate?: number;
}

export interface SimulatedCosNuvAsn {
  asn: string;
  members: (SimulatedCosNuv & { root: string; fpoffset: number })[];
  referenceDir: string;
}

/** Seconds from one exposure's start to the next's. */
const CADENCE = 400;

export function simulateCosNuvAsn(options: CosNuvAsnOptions): SimulatedCosNuvAsn {
  const asnId = options.asnId.toLowerCase();
  if (!/^l[a-z0-9]{7}0$/.test(asnId)) throw new Error(`${options.asnId}: a COS association id is l + 7 + 0`);
  const fpOffsets = options.fpOffsets ?? [-1, 0, 1, 1];
  if (fpOffsets.length < 1 || fpOffsets.length > 4 || fpOffsets.some((f) => f < -2 || f > 1 || !Number.isInteger(f)))
    throw new Error(`FP-POS offsets ${fpOffsets.join(",")}: 1 to 4 of -2, -1, 0, 1`);
  const referenceFpOffsets = [...new Set(fpOffsets)].sort((a, b) => a - b);
  const members = fpOffsets.map((fpoffset, k) => {
    const root = `${asnId.slice(0, 6)}a${"bcde"[k]}q`;
    const expstart = 55400.25 + (k * CADENCE) / 86400;
    const sim = simulateCosNuv({
      dataset: root,
      out: options.out,
      seed: options.seed,
      sourceRate: options.sourceRate,
      backgroundRate: options.backgroundRate,
      member: {
        fpoffset,
        referenceFpOffsets,
        primary: [
          ["FPPOS", fpoffset + 3, "grating offset index (1-4) for FP split"],
          ["FPOFFSET", fpoffset, "FP offset from nominal, in motor steps"],
          ["ASN_ID", asnId.toUpperCase(), "unique identifier assigned to association"],
          ["ASN_TAB", `${asnId}_asn.fits`, "name of the association table"],
        ],
        events: [
          ["ASN_MTYP", "EXP-FP", "Role of the Exposure in the Association"],
          ["EXPSTART", expstart, "exposure start time (Modified Julian Date)"],
          ["EXPEND", expstart + 300 / 86400, "exposure end time (Modified Julian Date)"],
          ["PLANTIME", 280, "Planned exposure time (seconds)"],
        ],
      },
    });
    return { ...sim, root, fpoffset };
  });
  const asn = join(options.out, `${asnId}_asn.fits`);
  writeAsnTable(
    asn,
    asnId,
    { instrument: "COS", detector: "NUV" },
    [
      ...members.map((m) => ({ name: m.root, type: "EXP-FP", present: true })),
      { name: asnId, type: "PROD-FP", present: true },
    ],
    "SIMULATED",
  );
  return { asn, members, referenceDir: members[0].referenceDir };
}

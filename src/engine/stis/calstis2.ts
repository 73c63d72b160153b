/**
 * calstis2 on a STIS CCD CR-SPLIT file (cs2 crrej_check.c, crrej_do.c, cr_history.c): the good image sets
 * (IMSET_OK not F) of the basic-2-D'ed file are combined into the `_crj` image set, with the primary and
 * first image set's headers of that file and calstis2's keywords. With CRMASK the image sets' DQ get the
 * CR flags in place (the `_flt` made from them with EXPSCORR shows them).
 */

import { CRREJTAB_COLUMNS } from "../../calib/common/crrejtab.js";
import { CalibrationError } from "../../calib/common/errors.js";
import { checkedRows } from "../../calib/common/table-schema.js";
import { stisCrrejParameters } from "../../calib/stis/crrej-params.js";
import { ocrreject } from "../../calib/stis/ocrreject.js";
import { setKeyword } from "../headers.js";
import type { ImageSetFile } from "../imset-io.js";
import type { ReferenceName } from "../program-files.js";
import { readReferenceTable } from "../reference-files.js";

const f = Math.fround;
const EXT_PER_GROUP = 3;

export function calstis2(
  blv: ImageSetFile,
  crrejtab: ReferenceName,
  raw: string,
): { crj: ImageSetFile; trailer: string[] } {
  const primary = blv.primary;
  const gain = f(primary.getNumber("ATODGAIN", 0));
  const readnse = f(primary.getNumber("READNSE", 0));
  if (gain === 0)
    throw new CalibrationError("HEADER_PROBLEM", `${raw}: ATODGAIN is 0 or missing before CRCORR`, { step: "CRCORR" });
  const good = blv.imsets.filter((h) => h.sci.get("IMSET_OK") !== false);
  if (good.length < 2) {
    throw new CalibrationError(
      "NO_GOOD_DATA",
      `${raw}: CRCORR needs two good image sets or more, found ${good.length}`,
      { step: "CRCORR" },
    );
  }
  const { nx, ny } = good[0]!.set;
  const efac = good.map((h) => f(h.sci.getNumber("EXPTIME")));
  if (efac.some((t) => t < 0))
    throw new CalibrationError("INVALID_VALUE", `${raw}: an image set has a negative EXPTIME`, { step: "CRCORR" });
  const zeros = efac.filter((t) => t === 0).length;
  if (zeros > 0 && zeros < efac.length) {
    throw new CalibrationError("INVALID_VALUE", `${raw}: some (but not all) image sets have zero EXPTIME`, {
      step: "CRCORR",
    });
  }
  let exptot = 0;
  let temptot = 0;
  for (const [n, h] of good.entries()) {
    if (h.set.nx !== nx || h.set.ny !== ny) {
      throw new CalibrationError("SIZE_MISMATCH", `${raw}: image set ${h.ver} is not the size of the first`, {
        step: "CRCORR",
      });
    }
    exptot = f(exptot + efac[n]!);
    temptot = f(temptot + f(f(h.sci.has("OCCDHTAV") ? h.sci.getNumber("OCCDHTAV") : -1) * efac[n]!));
  }
  const table = readReferenceTable("CRREJTAB", crrejtab.path);
  const rows = checkedRows(table.rows, CRREJTAB_COLUMNS, `CRREJTAB ${crrejtab.path} extension 1`);
  const params = stisCrrejParameters(rows, {
    nimages: good.length,
    exptot,
    obstype: String(primary.get("OBSTYPE") ?? "").trim(),
    where: `CRREJTAB ${crrejtab.path}`,
  });
  const noise = f(readnse / gain);
  const result = ocrreject(
    nx,
    ny,
    good.map((h, n) => ({ sci: h.set.sci, dq: h.set.dq, exptime: efac[n]!, noise, gain })),
    params,
  );
  const first = good[0]!;
  const starts = good.map((h) => h.sci.getNumber("EXPSTART", 0));
  const ends = good.map((h) => h.sci.getNumber("EXPEND", 0));
  const crjPrimary = primary.clone();
  const sci = first.sci.clone();
  const expstart = Math.min(...starts);
  const expend = Math.max(...ends);
  setKeyword(crjPrimary, "TEXPTIME", exptot);
  setKeyword(crjPrimary, "SKYSUM", result.skysum);
  if (exptot > 0) setKeyword(crjPrimary, "REJ_RATE", f(f(result.nrej) / exptot));
  setKeyword(sci, "EXPTIME", exptot);
  if (exptot > 0 && temptot > 0) setKeyword(sci, "OCCDHTAV", f(temptot / exptot));
  setKeyword(crjPrimary, "TEXPSTRT", expstart);
  setKeyword(crjPrimary, "TEXPEND", expend);
  setKeyword(sci, "EXPSTART", expstart);
  setKeyword(sci, "EXPEND", expend);
  for (const [k, v] of Object.entries({
    INITGUES: params.initial,
    SKYSUB: params.sky,
    CRSIGMAS: params.sigmasText,
    MEANEXP: params.meanexp,
    CRRADIUS: params.rej,
    CRTHRESH: params.psigma,
    SCALENSE: params.scalenoise,
    BADINPDQ: params.badbits,
    CRMASK: params.mask,
    NEXTEND: EXT_PER_GROUP,
    CRCORR: "COMPLETE",
  })) {
    setKeyword(crjPrimary, k, v);
  }
  setKeyword(sci, "NCOMBINE", good.length);
  const set = { ...first.set, sci: result.sci, err: result.err, dq: result.dq };
  const crj: ImageSetFile = {
    primary: crjPrimary,
    imsets: [{ ver: 1, set, sci, err: first.err.clone(), dq: first.dq.clone() }],
  };
  const trailer = [
    `CALSTIS2 ${raw}: ${good.length} image sets, CRREJTAB ${crrejtab.name}, sigmas ${params.sigmasText}, sky ${params.sky}`,
    ...good.map((h, n) => `  sky of imset ${h.ver} is ${result.sky[n]!.toFixed(3)} DN`),
    `  ${result.nrej} pixels rejected`,
  ];
  return { crj, trailer };
}

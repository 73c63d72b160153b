/**
 * What ACSCTE writes into the primary header of its output (hstcal acscte docte.c, ctegen2
 * populateImageFileWithCTEKeywordValues, acshist.c pcteHistory): PCTECORR = COMPLETE, CTE_NAME and CTE_VER,
 * and HISTORY in its order: the CCD parameters table again, the parallel settings (with FIXROCR, PCTETRSH,
 * PCTEFRAC), each amp's serial settings after SM4, "PCTECORR complete ...", the CCDTAB read noise of the
 * four amps (those of the first image set's chip: the others are 0, as calacs.e writes them) and the PCTETAB.
 * A setting whose keyword the header already has is updated instead of written as HISTORY.
 */
import { referenceLines } from "../../calib/common/ccd-history.js";
import type { CteIterations } from "../../calib/common/cte/trap-model.js";
import type { Header } from "../../fits/index.js";
import { setKeyword } from "../headers.js";
import type { CteAmp, Pctetab } from "./pctetab.js";

/** C's `%#W.PE` (HSTIO's doubleFormat is 20.12, floatFormat 14.7). */
export function exponential(value: number, width: number, digits: number): string {
  const [mantissa, exponent] = value.toExponential(digits).split("e");
  const e = Number(exponent);
  const text = `${mantissa}E${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return text.padStart(width);
}

export interface CteHistoryInput {
  table: Pctetab;
  /** PCTETAB as the raw's header names it (jref$…), its PEDIGREE and DESCRIP. */
  pctetab: { name: string; pedigree: string; descrip: string };
  parallel: CteIterations;
  /** The serial corrections applied, in the order calacs.e applies them (C, D, A, B), with their settings. */
  serial: { amp: CteAmp; iterations: CteIterations }[];
  scaleFraction: number;
  /** READNSEA..D of the first image set's CCDTAB row. */
  readNoise: readonly number[];
}

/** Updates the keyword when the header has it, else adds `KEYWORD value comment` as HISTORY. */
function keyOrHistory(header: Header, keyword: string, value: number | string, text: string, comment: string) {
  if (header.has(keyword)) setKeyword(header, keyword, value);
  else header.addCommentary("HISTORY", `${keyword} ${text} ${comment}`);
}

const integer = (n: number) => String(n).padStart(12);
const double = (n: number) => exponential(n, 20, 12);

function setHistory(header: Header, iterations: CteIterations, date0: number, date1: number) {
  keyOrHistory(header, "CTEDATE0", date0, double(date0), "Date of instrument installation");
  keyOrHistory(header, "CTEDATE1", date1, double(date1), "Date of CTE model pinning");
  keyOrHistory(header, "PCTETLEN", iterations.trailLength, integer(iterations.trailLength), "max length of CTE trail");
  const { forwardIterations: nfor, parallelTransfers: npar } = iterations;
  keyOrHistory(header, "PCTENFOR", nfor, integer(nfor), "Number of iter in forward model");
  keyOrHistory(header, "PCTENPAR", npar, integer(npar), "Number of iter in parallel transfer");
}

/** The primary header of ACSCTE's output, from the one ACSCCD left. */
export function applyCteHistory(primary: Header, input: CteHistoryInput): void {
  const { table } = input;
  primary.set("PCTETAB", input.pctetab.name); // --pctetab replaces the header's, as calacs.e records it
  const history = (line: string) => primary.addCommentary("HISTORY", line);
  const previous = primary.cards.filter((c) => c.keyword === "HISTORY").map((c) => c.comment);
  const ccd = previous.findIndex((line) => line.trimEnd() === "CCD parameters table:");
  if (ccd >= 0) {
    history(previous[ccd]);
    for (let k = ccd + 1; k < previous.length && previous[k].startsWith("  "); k++) history(previous[k]);
  }
  keyOrHistory(primary, "CTE_NAME", table.cteName, table.cteName, "CTE algorithm name");
  keyOrHistory(primary, "CTE_VER", table.cteVersion, table.cteVersion, "CTE algorithm version");
  keyOrHistory(primary, "CORRTYPE", "parallel", "parallel", "CTE correction type");
  const { parallel } = input;
  const fix = parallel.fixReadoutCosmicRays ? 1 : 0;
  keyOrHistory(primary, "FIXROCR", fix, integer(fix), "fix readout cosmic rays");
  const threshold = parallel.overSubtractionThreshold;
  keyOrHistory(primary, "PCTETRSH", threshold, double(threshold), "CTE over subtraction threshold");
  keyOrHistory(primary, "PCTEFRAC", input.scaleFraction, double(input.scaleFraction), "CTE scaling factor");
  setHistory(primary, parallel, table.parallel.date0, table.parallel.date1);
  for (const { amp, iterations } of input.serial) {
    const set = table.serial[amp]!;
    const type = `serial - Amp ${amp}`;
    keyOrHistory(primary, "CORRTYPE", type, type, "CTE correction type");
    setHistory(primary, iterations, set.date0, set.date1);
  }
  setKeyword(primary, "PCTECORR", "COMPLETE");
  history("PCTECORR complete ...");
  ["A", "B", "C", "D"].forEach((amp, k) => {
    const value = exponential(Math.fround(input.readNoise[k] ?? 0), 14, 7);
    history(`PCTERNOI ${value} Amp '${amp}' read noise clip limit (from CCDTAB).`);
  });
  history("CTE parameters table: ");
  for (const line of referenceLines("table", input.pctetab)) history(line);
  primary.set("CTE_NAME", table.cteName, { comment: "name of CTE algorithm" });
  primary.set("CTE_VER", table.cteVersion, { comment: "version of CTE algorithm" });
}

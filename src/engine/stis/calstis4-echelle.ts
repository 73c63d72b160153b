/**
 * calstis4 on an echelle wavecal (cs0 passes it the wavecal's calstis1 `_fwv_tmp`, never rectified): the WCPTAB,
 * LAMPTAB and echelle DISPTAB rows of the grating (with its MREF/YREF/A4CORR when present), the incidence angle
 * from the APDESTAB offsets of the aperture and the DISPTAB's REF_APER applied through the INANGTAB, and every
 * SPTRCTAB row of the grating and central wavelength (one trace per order, rotated to EXPSTART); then per imset the
 * 2-D cross-correlation of wavecal-echelle.ts. The tables are read when the exposure is prepared too, so a missing
 * row is said before anything is written.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import { type EchelleTrace, echelleShifts } from "../../calib/stis/wavecal-echelle.js";
import type { LampSpectrum } from "../../calib/stis/wavecal-xcorr.js";
import { type TraceTableRow, traceRows } from "../../calib/stis/x1d-trace.js";
import type { Header } from "../../fits/index.js";
import type { ReferenceName } from "../program-files.js";
import { rowFor, section, tableRows } from "./calstis4-tables.js";

export const ECHELLE_WAVECAL_REFERENCES = ["WCPTAB", "LAMPTAB", "APDESTAB", "DISPTAB", "INANGTAB", "SPTRCTAB"] as const;
type Refs = Record<(typeof ECHELLE_WAVECAL_REFERENCES)[number], ReferenceName>;

const str = (h: Header, k: string) => String(h.get(k) ?? "").trim();
const num = (h: Header, k: string, fallback: number) => {
  const v = h.get(k);
  return typeof v === "number" ? v : fallback;
};
const needs = (refs: Partial<Refs>): Refs => {
  const missing = ECHELLE_WAVECAL_REFERENCES.filter((k) => !refs[k]);
  if (missing.length > 0)
    throw new CalibrationError("CAL_FILE_MISSING", `WAVECORR of an echelle needs ${missing.join(", ")}`, {
      step: "WAVECORR",
    });
  return refs as Refs;
};

/** The tables' rows for the wavecal's grating, central wavelength and aperture (GetWCP, GetLamp, GetDisp4 …). */
export function echelleWavecalTables(primary: Header, references: Partial<Refs>) {
  const refs = needs(references);
  const optElem = str(primary, "OPT_ELEM").toUpperCase();
  const cenwave = String(primary.get("CENWAVE") ?? "");
  const mode = { OPT_ELEM: optElem, CENWAVE: cenwave };
  const wcp = rowFor("WCPTAB", refs.WCPTAB, { DETECTOR: str(primary, "DETECTOR"), OPT_ELEM: optElem });
  const lampRow = rowFor("LAMPTAB", refs.LAMPTAB, {
    OPT_ELEM: optElem,
    SCLAMP: str(primary, "SCLAMP"),
    LAMPSET: str(primary, "LAMPSET"),
  });
  const nelem = Number(lampRow.NELEM);
  const lamp: LampSpectrum = {
    wavelength: (lampRow.WAVELENGTH as number[]).slice(0, nelem),
    flux: (lampRow.FLUX as number[]).slice(0, nelem),
  };
  const disp = rowFor("DISPTAB", refs.DISPTAB, mode);
  const offset = (aperture: string) => Number(rowFor("APDESTAB", refs.APDESTAB, { APERTURE: aperture }).OFFSET1 ?? 0);
  const angle = offset(str(primary, "APERTURE")) - offset(String(disp.REF_APER ?? "").trim());
  const coeff = (disp.COEFF as number[]).slice(0, Number(disp.NCOEFF));
  const iac = rowFor("INANGTAB", refs.INANGTAB, mode);
  const coeff1 = iac.COEFF1 as number[];
  const coeff2 = iac.COEFF2 as number[];
  for (let i = 0; i < Math.min(coeff.length, Number(iac.NCOEFF1)); i++) coeff[i]! += coeff1[i]! * angle;
  if (Number(iac.NCOEFF2) > 0) coeff[0]! += coeff2[0]! * angle;
  if (Number(iac.NCOEFF2) > 1) coeff[0]! += coeff2[1]! * angle * angle;
  const traceTable = tableRows("SPTRCTAB", refs.SPTRCTAB) as unknown as TraceTableRow[];
  const orders = [...new Set(traceTable.filter((r) => matches(r, mode)).map((r) => Number(r.SPORDER)))];
  if (orders.length === 0) rowFor("SPTRCTAB", refs.SPTRCTAB, mode); // throws, naming the table and keys
  const tracesAt = (expstart: number): EchelleTrace[] =>
    orders.flatMap((sporder) => {
      const key = { optElem, cenwave: Number(cenwave), sporder, expstart };
      const { traces } = traceRows(traceTable, key, `SPTRCTAB ${refs.SPTRCTAB.name}`);
      return traces.map((t) => ({ ...t, sporder }));
    });
  const dispersion = {
    coeff,
    mref: Number(disp.MREF ?? 0),
    yref: Number(disp.YREF ?? 0),
    a4corr: Number(disp.A4CORR ?? 0),
  };
  return { wcp, lamp, dispersion, tracesAt, cenwave: Number(cenwave) };
}

const matches = (r: TraceTableRow, mode: { OPT_ELEM: string; CENWAVE: string }) =>
  String(r.OPT_ELEM).trim().toUpperCase() === mode.OPT_ELEM && Number(r.CENWAVE) === Number(mode.CENWAVE);

/** APER_FOV "height x width" (arcsec) in image pixels along and across the dispersion (ReadWidth). */
function apertureInPixels(primary: Header, cdelt2: number): [number, number] {
  const [height, width] = str(primary, "APER_FOV").toLowerCase().split("x").map(Number);
  if (!height || !width) return [1, 1];
  return [width / (3600 * cdelt2), height / (3600 * cdelt2)];
}

/** The shifts (image pixels) of one echelle wavecal imset. */
export function echelleImsetShifts(
  primary: Header,
  sci: { header: Header; data: ArrayLike<number>; nx: number; ny: number },
  tables: ReturnType<typeof echelleWavecalTables>,
) {
  const h = sci.header;
  const ltm: [number, number] = [num(h, "LTM1_1", 1), num(h, "LTM2_2", 1)];
  const ltv: [number, number] = [num(h, "LTV1", 0) + ltm[0] - 1, num(h, "LTV2", 0) + ltm[1] - 1];
  const scale = [1 / ltm[0], 1 / ltm[1]];
  const n = (k: string, fallback: number) => Number(tables.wcp[k] ?? fallback);
  return echelleShifts({
    nx: sci.nx,
    ny: sci.ny,
    sci: sci.data,
    columns: section(n("WL_TRIM1", 0), scale[0]!, sci.nx),
    rows: section(n("WL_TRIM2", 300), scale[1]!, sci.ny),
    lamp: tables.lamp,
    ...tables.dispersion,
    cenwave: tables.cenwave,
    traces: tables.tracesAt(num(h, "EXPSTART", 0)),
    ltm,
    ltv,
    slitWidth: apertureInPixels(primary, num(h, "CD2_2", 1)),
  });
}

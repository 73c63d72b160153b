/**
 * The reference tables calstis7 reads for a first-order spectrum, each row selected as cs7 selects it (SDCTAB
 * by APERTURE/OPT_ELEM/CENWAVE, DISPTAB by OPT_ELEM/CENWAVE, INANGTAB and SPTRCTAB also by SPORDER, APDESTAB
 * by APERTURE, PHOTTAB, APERTAB, PCTAB's MAXHGHT row, TDSTAB), with the pedigree and descriptions its
 * HISTORY names. A missing row is one error naming the table, its file and the keys.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import { sameInt, sameString } from "../../calib/common/row-match.js";
import { type Curve, naturalSpline, tdsAtTemperature, tdsFactors } from "../../calib/stis/absolute-flux.js";
import {
  type DispersionRow,
  dispersionRows,
  type IncidenceAngleRow,
  incidenceAngleRow,
} from "../../calib/stis/dispersion.js";
import {
  gridOf,
  type SdcRow,
  type Trace,
  type TraceRow,
  traceOf,
  type X2dGrid,
} from "../../calib/stis/x2d-geometry.js";
import type { Slit } from "../../calib/stis/x2d-rectify.js";
import { FitsFile } from "../../fits/index.js";
import type { ReferenceName, ReferenceNames } from "../program-files.js";
import { type ReferenceTable, readReferenceTable } from "../reference-files.js";

type Row = Record<string, unknown>;

/** What a table contributes to the HISTORY: its name, pedigree and the header's and row's descriptions. */
export interface TableRecord {
  name: string;
  pedigree: string;
  descrip: string;
  rowDescrip?: string;
}

export interface Selection {
  optElem: string;
  cenwave: number;
  aperture: string;
  sporder: number;
}

function table(refs: ReferenceNames, keyword: string): ReferenceTable & { ref: ReferenceName } {
  const ref = refs[keyword];
  if (!ref) throw new CalibrationError("CAL_FILE_MISSING", `${keyword} is needed for X2DCORR`, { step: "X2DCORR" });
  return { ...readReferenceTable(keyword, ref.path), ref };
}

function noRow(keyword: string, ref: ReferenceName, keys: string, step = "X2DCORR"): CalibrationError {
  return new CalibrationError("TABLE_ROW_MISSING", `${keyword} ${ref.name} (${ref.path}): no row for ${keys}`, {
    step,
  });
}

function record(t: ReferenceTable & { ref: ReferenceName }, row?: Row): TableRecord {
  const rowPedigree = row?.PEDIGREE === undefined ? "" : String(row.PEDIGREE).trim();
  const rowDescrip = row?.DESCRIP === undefined ? undefined : String(row.DESCRIP).trim();
  return { name: t.ref.name, pedigree: rowPedigree || t.pedigree, descrip: t.descrip, rowDescrip };
}

const numbers = (v: unknown, n?: number) => (Array.isArray(v) ? v : [v]).slice(0, n).map(Number);

export interface GeometryTables {
  grid: X2dGrid;
  dispersion: DispersionRow[];
  incidence: IncidenceAngleRow;
  traces: Trace[];
  slit: Slit & { offset: [number, number] };
  /** OFFSET1 of the dispersion relation's reference aperture (GetApOffset). */
  refOffset1: number;
  history: TableRecord[];
}

/** The SDCTAB's orders for the aperture, grating and central wavelength, ascending (cs7 GetSDC): [1] for a first order. */
export function ordersOf(refs: ReferenceNames, s: Omit<Selection, "sporder">): number[] {
  const sdc = table(refs, "SDCTAB");
  const orders = sdc.rows
    .filter(
      (r) =>
        (r.APERTURE === undefined || sameString(String(r.APERTURE), s.aperture)) &&
        sameString(String(r.OPT_ELEM), s.optElem) &&
        sameInt(Number(r.CENWAVE), s.cenwave),
    )
    .map((r) => Number(r.SPORDER ?? 1));
  if (orders.length === 0)
    throw noRow("SDCTAB", sdc.ref, `APERTURE ${s.aperture}, OPT_ELEM ${s.optElem}, CENWAVE ${s.cenwave}`);
  return [...new Set(orders)].sort((a, b) => a - b);
}

/** SDCTAB, APDESTAB, DISPTAB, INANGTAB and SPTRCTAB for one spectral order (1 for a first-order grating). */
export function readGeometryTables(refs: ReferenceNames, s: Selection, expstart: number): GeometryTables {
  const sdc = table(refs, "SDCTAB");
  const sdcRow = sdc.rows.find(
    (r) =>
      (r.APERTURE === undefined || sameString(String(r.APERTURE), s.aperture)) &&
      sameString(String(r.OPT_ELEM), s.optElem) &&
      sameInt(Number(r.CENWAVE), s.cenwave) &&
      sameInt(Number(r.SPORDER ?? 1), s.sporder),
  );
  if (!sdcRow) {
    const order = s.sporder === 1 ? "" : `, SPORDER ${s.sporder}`;
    throw noRow("SDCTAB", sdc.ref, `APERTURE ${s.aperture}, OPT_ELEM ${s.optElem}, CENWAVE ${s.cenwave}${order}`);
  }
  const grid = gridOf(sdcRow as unknown as SdcRow);
  const apd = table(refs, "APDESTAB");
  const apRow = (aperture: string) => apd.rows.find((r) => sameString(String(r.APERTURE), aperture));
  const aperture = apRow(s.aperture);
  if (!aperture) throw noRow("APDESTAB", apd.ref, `APERTURE ${s.aperture}`);
  const nbars = Number(aperture.NBARS ?? 0);
  const slit = {
    width: [Number(aperture.WIDTH1), Number(aperture.WIDTH2)] as [number, number],
    angle: aperture.ANGLE === undefined ? 0.315 : Number(aperture.ANGLE),
    offset: [Number(aperture.OFFSET1), Number(aperture.OFFSET2)] as [number, number],
    bars: [1, 2, 3]
      .slice(0, nbars)
      .map((k) => ({ location: Number(aperture[`BAR${k}LOCN`]), width: Number(aperture[`BAR${k}WIDTH`]) })),
  };
  const dsp = table(refs, "DISPTAB");
  const where = `DISPTAB ${dsp.ref.name} (${dsp.ref.path})`;
  const dispRows = dsp.rows.map((r) => ({ ...r, COEFF: numbers(r.COEFF) }) as unknown as DispersionRow);
  const dispersion = dispersionRows(dispRows, s.optElem, s.cenwave, where);
  const refAperture = apRow(dispersion[0].REF_APER);
  if (!refAperture) throw noRow("APDESTAB", apd.ref, `APERTURE ${dispersion[0].REF_APER} (DISPTAB REF_APER)`);
  const iac = table(refs, "INANGTAB");
  const iacRows = iac.rows.map(
    (r) => ({ ...r, COEFF1: numbers(r.COEFF1), COEFF2: numbers(r.COEFF2) }) as unknown as IncidenceAngleRow,
  );
  const incidence = incidenceAngleRow(
    iacRows,
    s.optElem,
    s.cenwave,
    s.sporder,
    `INANGTAB ${iac.ref.name} (${iac.ref.path})`,
  );
  const trc = table(refs, "SPTRCTAB");
  const traceRows = trc.rows.filter(
    (r) =>
      sameString(String(r.OPT_ELEM), s.optElem) &&
      sameInt(Number(r.CENWAVE), s.cenwave) &&
      sameInt(Number(r.SPORDER), s.sporder),
  );
  if (traceRows.length === 0)
    throw noRow("SPTRCTAB", trc.ref, `OPT_ELEM ${s.optElem}, CENWAVE ${s.cenwave}, SPORDER ${s.sporder}`);
  const traces = traceRows
    .map((r) => traceOf({ ...r, A2DISPL: numbers(r.A2DISPL) } as unknown as TraceRow, expstart))
    .sort((a, b) => a.a2center - b.a2center);
  const dispRow = dsp.rows.find(
    (r) => sameString(String(r.OPT_ELEM), s.optElem) && sameInt(Number(r.CENWAVE), s.cenwave),
  );
  const history = [
    record(sdc, sdcRow),
    record(apd, aperture),
    record(dsp, dispRow),
    record(iac, iac.rows[iacRows.indexOf(incidence)]),
    record(trc, traceRows[0]),
  ];
  return { grid, dispersion, incidence, traces, slit, refOffset1: Number(refAperture.OFFSET1), history };
}

export interface FluxTables {
  response: Curve;
  pct: Curve;
  slit: Curve;
  tds?: Curve;
  history: TableRecord[];
  /** PCTAB used (else HISTORY notes that DIFF2PT leaves it out), TDSTAB used. */
  pctcorr: boolean;
  tdscorr: boolean;
}

const curve = (r: Row, wl = "WAVELENGTH", value = "THROUGHPUT"): Curve => {
  const n = Number(r.NELEM);
  return { wl: numbers(r[wl], n), value: numbers(r[value], n) };
};

/**
 * PHOTTAB, APERTAB, PCTAB (its MAXHGHT row) and TDSTAB (factors at `expstart` and the detector's
 * `temperature`, −1 when unknown) for FLUXCORR.
 */
export function readFluxTables(refs: ReferenceNames, s: Selection, expstart: number, temperature = -1): FluxTables {
  const pht = table(refs, "PHOTTAB");
  const photRow = pht.rows.find(
    (r) =>
      sameString(String(r.OPT_ELEM), s.optElem) &&
      sameInt(Number(r.CENWAVE), s.cenwave) &&
      sameInt(Number(r.SPORDER), s.sporder),
  );
  if (!photRow) {
    const keys = `OPT_ELEM ${s.optElem}, CENWAVE ${s.cenwave}, SPORDER ${s.sporder}`;
    throw noRow("PHOTTAB", pht.ref, keys, "FLUXCORR");
  }
  if (Number(photRow.REFORD ?? 0) > 0) {
    const message = `PHOTTAB ${pht.ref.name}: the MSM/blaze correction (REFORD) is not in the native calstis7 yet`;
    throw new CalibrationError("CAL_STEP_NOT_DONE", message, { step: "FLUXCORR" });
  }
  const response = curve(photRow);
  const apt = table(refs, "APERTAB");
  const aptRow = apt.rows.find((r) => sameString(String(r.APERTURE), s.aperture));
  if (!aptRow) throw noRow("APERTAB", apt.ref, `APERTURE ${s.aperture}`, "FLUXCORR");
  const history = [record(pht, photRow), record(apt, aptRow)];
  let pct: Curve = { wl: response.wl, value: response.wl.map(() => 1) };
  let pctcorr = false;
  if (refs.PCTAB) {
    const pc = table(refs, "PCTAB");
    const maxhght = maxHeight(refs.PCTAB.path);
    const pcRow = pc.rows.find(
      (r) =>
        sameString(String(r.APERTURE), s.aperture) &&
        sameInt(Number(r.CENWAVE), s.cenwave) &&
        sameInt(Number(r.EXTRHEIGHT), maxhght),
    );
    if (pcRow) {
      const c = curve(pcRow);
      pct = { wl: response.wl, value: naturalSpline(c.wl, c.value, response.wl) };
      pctcorr = true;
      history.push(record(pc, pcRow));
    }
  }
  let tds: Curve | undefined;
  if (refs.TDSTAB) {
    const td = table(refs, "TDSTAB");
    const tdRow = td.rows.find((r) => sameString(String(r.OPT_ELEM), s.optElem));
    if (tdRow) {
      const nwl = Number(tdRow.NWL);
      const nt = Number(tdRow.NT);
      const slope = numbers(tdRow.SLOPE);
      const slopes = Array.from({ length: nt }, (_, j) => slope.slice(j * nwl, (j + 1) * nwl));
      const wl = numbers(tdRow.WAVELENGTH, nwl);
      const factors = tdsFactors(numbers(tdRow.TIME, nt), slopes, nwl, expstart);
      const tempsens = tdRow.TEMPSENS === undefined ? [] : numbers(tdRow.TEMPSENS, nwl);
      const value = tdsAtTemperature(factors, tempsens, Number(tdRow.REFTEMP ?? -1), temperature);
      tds = { wl, value };
      history.push(record(td));
    }
  }
  return { response, pct, slit: curve(aptRow), tds, history, pctcorr, tdscorr: tds !== undefined };
}

function maxHeight(path: string): number {
  const file = FitsFile.open(path);
  try {
    return file.hdus[1].header.getInt("MAXHGHT", 0);
  } finally {
    file.close();
  }
}

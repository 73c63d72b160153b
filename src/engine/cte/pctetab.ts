/**
 * Reading a PCTETAB (calibration.md §2.10): the trap model, iteration settings and column scaling of the
 * pixel-based CTE correction, for ACS ("Par/Serial PixelCTE 2023": a parallel set, QPROF/SCLBYCOL/RPROF/CPROF
 * EXTVER 1, and a serial set per amp, EXTVER 2–5 for amps A–D) and WFC3/UVIS (one set; its keywords in the
 * primary header). Every problem is a CalibrationError naming the file, the extension and the keyword.
 */

import type { ColumnScaling } from "../../calib/common/cte/trap-map.js";
import type { CteAmp, CteIterations, TrapModel } from "../../calib/common/cte/trap-model.js";
import { CalibrationError } from "../../calib/common/errors.js";
import { type Column, FitsFile, type Hdu, type Header } from "../../fits/index.js";

export type { CteAmp } from "../../calib/common/cte/trap-model.js";

/** One correction's tables and settings. */
export interface PctetabSet {
  /** Where it was read from, e.g. "QPROF,2", for messages. */
  readonly extension: string;
  readonly date0: number;
  readonly date1: number;
  readonly iterations: CteIterations;
  readonly model: TrapModel;
  /** SCLBYCOL (ACS; WFC3's table is not used by calwf3). */
  readonly scaling?: ColumnScaling;
}

export interface Pctetab {
  readonly path: string;
  readonly instrument: "ACS" | "WFC3";
  readonly cteName: string;
  readonly cteVersion: string;
  /** PCTERNOI (ACS ignores it for the CCDTAB's read noise). */
  readonly readNoise: number;
  /** PCTENSMD: the read-noise mitigation algorithm; only 0 exists. */
  readonly smoothingMode: number;
  readonly parallel: PctetabSet;
  /** ACS: the serial correction of each amp (applied after SM4). */
  readonly serial: Partial<Record<CteAmp, PctetabSet>>;
}

export const ACS_CTE_NAME = "Par/Serial PixelCTE 2023";
/** Rows hstcal reads from QPROF (its TRAPS) and the columns SCLBYCOL must cover (4 amps × 2048). */
const ACS_TRAP_ROWS = 9999;
const ACS_SCALE_COLUMNS = 8192;
/** calwf3 reads 999 traps and needs RPROF/CPROF exactly that wide. */
const WFC3_TRAP_ROWS = 999;
/** QPROF values at or above this mark unused rows. */
const UNUSED_TRAP_LEVEL = 999999;
const SERIAL_EXTVER: Record<CteAmp, number> = { A: 2, B: 3, C: 4, D: 5 };

class PctetabReader {
  constructor(
    readonly file: FitsFile,
    readonly path: string,
  ) {}

  fail(where: string, detail: string): never {
    throw new CalibrationError(
      "INVALID_VALUE",
      `PCTETAB ${this.path}${where === "" ? "" : ` extension ${where}`}: ${detail}`,
    );
  }

  extension(name: string, ver: number): Hdu {
    const hdu = this.file.hdus.find((h) => h.name.toUpperCase() === name && h.ver === ver);
    if (hdu === undefined) {
      throw new CalibrationError("CAL_FILE_MISSING", `PCTETAB ${this.path}: extension ${name},${ver} is missing`);
    }
    return hdu;
  }

  number(header: Header, keyword: string, where: string, integer = false): number {
    const value = header.get(keyword);
    if (value === undefined) this.fail(where, `keyword ${keyword} is missing`);
    const n = typeof value === "bigint" ? Number(value) : value;
    if (typeof n !== "number" || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      this.fail(where, `keyword ${keyword} = ${String(value)} is not ${integer ? "an integer" : "a number"}`);
    }
    return n;
  }

  text(header: Header, keyword: string, where: string): string {
    const value = header.get(keyword);
    if (typeof value !== "string") this.fail(where, `keyword ${keyword} is missing or not a string`);
    return value.trim();
  }

  column(columns: Column[], name: string, rows: number, where: string): Float64Array {
    const column = columns.find((c) => c.name.toUpperCase() === name);
    if (column === undefined) this.fail(where, `column ${name} is missing`);
    const data = column.data as ArrayLike<number | bigint>;
    if (data.length < rows) this.fail(where, `column ${name} has ${data.length} rows, ${rows} needed`);
    return Float64Array.from({ length: rows }, (_, k) => Number(data[k]));
  }

  /** RPROF or CPROF: NAXIS1 = traps, NAXIS2 = transfers; returned trap-major ([trap * length + transfer]). */
  profile(name: string, ver: number, traps: number, trailLength: number, exactWidth: number | undefined): Float32Array {
    const where = `${name},${ver}`;
    const hdu = this.extension(name, ver);
    if (hdu.type !== "image" || hdu.axes.length !== 2) this.fail(where, "is not a 2-D image");
    const [width, length] = hdu.axes;
    if (exactWidth !== undefined && width !== exactWidth) this.fail(where, `NAXIS1 = ${width}, ${exactWidth} expected`);
    if (width < traps) this.fail(where, `NAXIS1 = ${width} is less than the ${traps} traps of QPROF`);
    if (length < trailLength) this.fail(where, `NAXIS2 = ${length} is less than PCTETLEN ${trailLength}`);
    const pixels = this.file.readImage(hdu).data;
    const out = new Float32Array(traps * length);
    for (let t = 0; t < length; t++) {
      for (let w = 0; w < traps; w++) out[w * length + t] = Number(pixels[t * width + w]);
    }
    return out;
  }

  traps(ver: number, rows: number): { levels: Float64Array; charges: Float64Array; count: number } {
    const where = `QPROF,${ver}`;
    const hdu = this.extension("QPROF", ver);
    if (hdu.type !== "bintable") this.fail(where, "is not a binary table");
    const { columns } = this.file.readTable(hdu);
    this.column(columns, "W", rows, where);
    const levels = this.column(columns, "QLEV_Q", rows, where);
    const charges = this.column(columns, "DPDE_W", rows, where);
    let count = 0;
    for (let w = 0; w < rows; w++) {
      if (levels[w] < UNUSED_TRAP_LEVEL) count++;
    }
    if (count === 0) this.fail(where, "QLEV_Q has no trap below 999999");
    return { levels, charges, count };
  }

  scaling(ver: number): ColumnScaling {
    const where = `SCLBYCOL,${ver}`;
    const hdu = this.extension("SCLBYCOL", ver);
    if (hdu.type !== "bintable") this.fail(where, "is not a binary table");
    const { columns } = this.file.readTable(hdu);
    const iz = this.column(columns, "IZ", ACS_SCALE_COLUMNS, where);
    const covered = new Uint8Array(ACS_SCALE_COLUMNS);
    for (const z of iz) if (z >= 0 && z < ACS_SCALE_COLUMNS) covered[z] = 1;
    const gap = covered.indexOf(0);
    if (gap >= 0) this.fail(where, `column IZ does not cover column ${gap} (0-based)`);
    return {
      columns: Int32Array.from(iz),
      at512: this.column(columns, "SENS_0512", ACS_SCALE_COLUMNS, where),
      at1024: this.column(columns, "SENS_1024", ACS_SCALE_COLUMNS, where),
      at1536: this.column(columns, "SENS_1536", ACS_SCALE_COLUMNS, where),
      at2048: this.column(columns, "SENS_2048", ACS_SCALE_COLUMNS, where),
    };
  }

  /** A set whose dates and iteration counts are in `keys` (QPROF's header for ACS, the primary for WFC3). */
  set(ver: number, keys: Header, keysWhere: string, primary: Header, instrument: "ACS" | "WFC3"): PctetabSet {
    const acs = instrument === "ACS";
    const trailLength = this.number(keys, "PCTETLEN", keysWhere, true);
    const iterations: CteIterations = {
      trailLength,
      forwardIterations: this.number(keys, "PCTENFOR", keysWhere, true),
      parallelTransfers: this.number(keys, "PCTENPAR", keysWhere, true),
      fixReadoutCosmicRays: this.number(primary, "FIXROCR", "", true) !== 0,
      overSubtractionThreshold: this.number(primary, "PCTETRSH", ""),
    };
    if (trailLength < 1) this.fail(keysWhere, `PCTETLEN = ${trailLength} must be at least 1`);
    if (iterations.forwardIterations < 1) this.fail(keysWhere, "PCTENFOR must be at least 1");
    if (iterations.parallelTransfers < 1) this.fail(keysWhere, "PCTENPAR must be at least 1");
    const rows = acs ? ACS_TRAP_ROWS : WFC3_TRAP_ROWS;
    const traps = this.traps(ver, rows);
    const width = acs ? undefined : WFC3_TRAP_ROWS;
    const releaseProfile = this.profile("RPROF", ver, traps.count, trailLength, width);
    const heldProfile = this.profile("CPROF", ver, traps.count, trailLength, width);
    const profileLength = releaseProfile.length / traps.count;
    return {
      extension: `QPROF,${ver}`,
      date0: this.number(keys, "CTEDATE0", keysWhere),
      date1: this.number(keys, "CTEDATE1", keysWhere),
      iterations,
      model: {
        chargeLevels: traps.levels,
        trapCharges: traps.charges,
        trapCount: traps.count,
        releaseProfile,
        heldProfile,
        profileLength,
      },
      scaling: acs ? this.scaling(ver) : undefined,
    };
  }
}

/** Reads and checks a PCTETAB for `instrument` (the raw's INSTRUME). */
export function readPctetab(path: string, instrument: "ACS" | "WFC3"): Pctetab {
  let file: FitsFile;
  try {
    file = FitsFile.open(path);
  } catch (e) {
    throw new CalibrationError("CAL_FILE_MISSING", `PCTETAB ${path}: ${(e as Error).message}`);
  }
  try {
    const reader = new PctetabReader(file, path);
    const primary = file.hdus[0].header;
    const tableInstrument = String(primary.get("INSTRUME") ?? "").trim();
    if (tableInstrument !== instrument) {
      reader.fail("", `keyword INSTRUME is '${tableInstrument}', not ${instrument}`);
    }
    const cteName = reader.text(primary, "CTE_NAME", "");
    if (instrument === "ACS" && cteName !== ACS_CTE_NAME) {
      reader.fail(
        "",
        `keyword CTE_NAME is '${cteName}': this table's algorithm is obsolete ('${ACS_CTE_NAME}' needed)`,
      );
    }
    const smoothingMode = reader.number(primary, "PCTENSMD", "", true);
    if (smoothingMode !== 0) reader.fail("", `keyword PCTENSMD = ${smoothingMode}: only read-noise model 0 exists`);
    const base = {
      path,
      instrument,
      cteName,
      cteVersion: reader.text(primary, "CTE_VER", ""),
      readNoise: reader.number(primary, "PCTERNOI", ""),
      smoothingMode,
    };
    if (instrument === "WFC3") {
      return { ...base, parallel: reader.set(1, primary, "", primary, instrument), serial: {} };
    }
    const setAt = (ver: number) =>
      reader.set(ver, reader.extension("QPROF", ver).header, `QPROF,${ver}`, primary, instrument);
    const serial: Partial<Record<CteAmp, PctetabSet>> = {};
    for (const amp of ["A", "B", "C", "D"] as const) serial[amp] = setAt(SERIAL_EXTVER[amp]);
    return { ...base, parallel: setAt(1), serial };
  } finally {
    file.close();
  }
}

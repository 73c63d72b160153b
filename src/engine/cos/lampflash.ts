/**
 * Reading a COS `_lampflash` (calcos' concurrent-wavecal product): per stripe or segment its row of the
 * LAMPFLASH table (SEGMENT, TIME, LAMP_ON/OFF, the 1-D GROSS spectrum and its WAVELENGTH, the shifts found).
 * GROSS is read as its NELEM-long spectrum whatever its TDIM says (real files carry a TDIM that does not
 * describe it, '(2,7,7,13)' for 1274 values). The first step of WAVECORR from lamp flashes.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { FitsFile } from "../../fits/index.js";

export interface LampflashRow {
  segment: string;
  time: number;
  lampOn: number;
  lampOff: number;
  gross: Float32Array;
  wavelength: Float64Array;
  shiftDisp: number;
  shiftXdisp: number;
  specFound: boolean;
}

export function readLampflash(path: string): { rows: LampflashRow[]; header: Record<string, unknown> } {
  const name = `${basename(path)}[LAMPFLASH]`;
  const file = FitsFile.open(path);
  try {
    if (!file.hdus.some((h) => h.name === "LAMPFLASH"))
      throw new CalibrationError("INVALID_VALUE", `${name}: no such table`);
    const table = file.readTable("LAMPFLASH");
    const column = (n: string) => {
      const c = table.columns.find((x) => x.name.toUpperCase() === n);
      if (!c) throw new CalibrationError("INVALID_VALUE", `${name}: has no column ${n}`);
      return c.data as ArrayLike<unknown>;
    };
    const nelem = column("NELEM") as ArrayLike<number>;
    const gross = column("GROSS") as Float32Array;
    const wavelength = column("WAVELENGTH") as Float64Array;
    const width = table.nrows > 0 ? gross.length / table.nrows : 0;
    const rows = Array.from({ length: table.nrows }, (_, r): LampflashRow => {
      const n = Number(nelem[r]);
      if (!(n > 0 && n <= width)) throw new CalibrationError("INVALID_VALUE", `${name}: row ${r + 1} NELEM = ${n}`);
      return {
        segment: String((column("SEGMENT") as string[])[r]).trim(),
        time: Number((column("TIME") as ArrayLike<number>)[r]),
        lampOn: Number((column("LAMP_ON") as ArrayLike<number>)[r]),
        lampOff: Number((column("LAMP_OFF") as ArrayLike<number>)[r]),
        gross: gross.slice(r * width, r * width + n),
        wavelength: Float64Array.from(wavelength.subarray(r * width, r * width + n)),
        shiftDisp: Number((column("SHIFT_DISP") as ArrayLike<number>)[r]),
        shiftXdisp: Number((column("SHIFT_XDISP") as ArrayLike<number>)[r]),
        specFound: (column("SPEC_FOUND") as (boolean | null)[])[r] === true,
      };
    });
    return { rows, header: file.hdu("LAMPFLASH").header.toObject() };
  } finally {
    file.close();
  }
}

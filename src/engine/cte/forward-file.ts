/**
 * The CTE forward model of a calibrated ACS/WFC full-frame file (acscteforwardmodel.e's job): adds the trails
 * the PCTETAB's model predicts to every amp of a trimmed image in electrons (a _blc_tmp, _flc or _flt) and
 * writes `<root>_ctefmod.fits` beside it, the input untouched. Any problem is a CalibrationError naming the file
 * and the keyword.
 */
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { copyData, FitsFile, FitsWriter, type Header } from "../../fits/index.js";
import { type Env, requireReference } from "../reference-files.js";
import { correctAcsWfcChip } from "./acs-wfc.js";
import { readPctetab } from "./pctetab.js";

/** The output name: the input's last `_suffix` replaced by `_ctefmod`, as hstcal names it. */
export function forwardModelName(input: string): string {
  return input.replace(/(_[a-z]+(_tmp)?)?\.fits$/, "_ctefmod.fits");
}

const AMPS_OF_CHIP: Record<number, ["C", "D"] | ["A", "B"]> = { 2: ["C", "D"], 1: ["A", "B"] };

function requireValue(header: Header, keyword: string, path: string, expected: (v: unknown) => boolean, what: string) {
  const value = header.get(keyword);
  if (!expected(value)) {
    throw new CalibrationError("HEADER_PROBLEM", `${path}: keyword ${keyword} = ${String(value)}: ${what}`);
  }
  return value;
}

/** Writes the forward-modelled file; returns its path. `pctetab` overrides the header's PCTETAB. */
export function cteForwardFile(input: string, options: { env: Env; pctetab?: string; output?: string }): string {
  const output = options.output ?? forwardModelName(input);
  if (output === input) throw new CalibrationError("INVALID_VALUE", `${input}: the output would replace the input`);
  if (existsSync(output)) throw new CalibrationError("INVALID_VALUE", `${output} exists: remove it first`);
  const file = FitsFile.open(input);
  try {
    const primary = file.hdus[0].header;
    const acsWfc = (v: unknown, want: string) => typeof v === "string" && v.trim() === want;
    requireValue(primary, "INSTRUME", input, (v) => acsWfc(v, "ACS"), "the forward model is for ACS/WFC");
    requireValue(primary, "DETECTOR", input, (v) => acsWfc(v, "WFC"), "the forward model is for ACS/WFC");
    requireValue(primary, "CCDAMP", input, (v) => acsWfc(v, "ABCD"), "only full frames read by 4 amps");
    const expstart = requireValue(primary, "EXPSTART", input, (v) => typeof v === "number", "a date (MJD) is needed");
    const pctetab = options.pctetab ?? requireReference(primary, "PCTETAB", options.env);
    // The forward model does no smoothing: the read noise is not used.
    const readNoise = { A: 0, B: 0, C: 0, D: 0 };
    const run = { table: readPctetab(pctetab, "ACS"), expstart: expstart as number, readNoise };
    const writer = new FitsWriter(output);
    try {
      for (const hdu of file.hdus) {
        const header = hdu.header.clone();
        if (hdu.index === 0) {
          header.set("FILENAME", basename(output));
          header.set("CTE_NAME", run.table.cteName, { comment: "CTE algorithm name" });
          header.set("CTE_VER", run.table.cteVersion, { comment: "CTE algorithm version" });
          header.addCommentary("HISTORY", `CTE forward model applied with PCTETAB ${pctetab}`);
        }
        if (hdu.name !== "SCI") {
          if (hdu.name === "ERR") continue; // written after its SCI, as a full array (the model changes it)
          writer.writeRaw(
            header,
            hdu.dataBytes,
            copyData((o, n) => file.readBytes(hdu.dataOffset + o, n), hdu.dataBytes),
          );
          continue;
        }
        const chipNumber = requireValue(
          hdu.header,
          "CCDCHIP",
          `${input}[SCI,${hdu.ver}]`,
          (v) => v === 1 || v === 2,
          "1 or 2",
        );
        const [width, height] = hdu.axes;
        if (width !== 4096 || height !== 2048) {
          throw new CalibrationError(
            "SIZE_MISMATCH",
            `${input}[SCI,${hdu.ver}]: ${width} × ${height}, a trimmed full chip (4096 × 2048) is needed`,
          );
        }
        const sci = Float32Array.from(file.readImage(hdu).data as ArrayLike<number>);
        const errHdu = file.hdu("ERR", hdu.ver);
        const err = Float32Array.from(file.readImage(errHdu).data as ArrayLike<number>);
        const amps = AMPS_OF_CHIP[chipNumber as number].map((amp, k) => ({ amp, x0: k * 2048, width: 2048 }));
        correctAcsWfcChip({ sci, err, width, height, amps }, run, true);
        writer.writeImage(header, sci, [width, height]);
        const errHeader = errHdu.header.clone();
        for (const keyword of ["PIXVALUE", "NPIX1", "NPIX2"]) errHeader.delete(keyword);
        writer.writeImage(errHeader, err, [width, height]);
      }
      writer.close();
    } catch (e) {
      writer.abort();
      throw e;
    }
  } finally {
    file.close();
  }
  return output;
}

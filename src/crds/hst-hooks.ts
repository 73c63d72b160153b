/**
 * HST header hooks of the reference client (crds/hst/acs_v1..v3, wfc3, wfpc2) and its do-not-reprocess rule.
 * Hooks see the minimised, conditioned header; comparisons are on conditioned strings, as in Python.
 */
import { conditionValue } from "./conditioning.js";
import type { DatasetHeader } from "./dataset-header.js";
import { PythonError } from "./errors.js";
import { pythonFloat, pythonFloatRepr, pythonTruncate } from "./python-format.js";
import { requireValue } from "./selectors/selector.js";
import { reformatDate } from "./timestamp.js";

/** precondition hooks return the header to match; fallback hooks return a second header or undefined. */
export type HeaderHook = (header: Readonly<DatasetHeader>) => DatasetHeader | undefined;

const ACS_HALF_CHIP_COLS = 2048;
const SM4 = reformatDate("2009-05-14 00:00:00.000000");
const PRE_SM4_SUBARRAY = reformatDate("2002-03-30 00:00:00.000000");

/** int(float(text)), or undefined where Python raises ValueError (other errors propagate). */
function intOrUndefined(text: string): number | undefined {
  try {
    return pythonTruncate(pythonFloat(text));
  } catch (error) {
    if (error instanceof PythonError && error.pythonType === "ValueError") return undefined;
    throw error;
  }
}

function exposureTime(header: Readonly<DatasetHeader>): string {
  return reformatDate(`${requireValue(header, "DATE-OBS")} ${requireValue(header, "TIME-OBS")}`);
}

/** The ACS biasfile preconditioning shared by v1 (NUMCOLS/NUMROWS) and v2/v3 (NAXIS1/NAXIS2). */
function preconditionAcsBias(input: Readonly<DatasetHeader>, colsKey: string, rowsKey: string): DatasetHeader {
  const header = { ...input };
  if (exposureTime(header) < SM4) header["APERTURE"] = "N/A";
  const cols = intOrUndefined(requireValue(header, colsKey));
  if (cols !== undefined) {
    header[colsKey] = conditionValue(String(cols));
    if (exposureTime(header) < SM4 && cols > ACS_HALF_CHIP_COLS) {
      const amp = requireValue(header, "CCDAMP");
      if (amp === "A" || amp === "D") header["CCDAMP"] = "AD";
      else if (amp === "B" || amp === "C") header["CCDAMP"] = "BC";
    }
  }
  if (
    requireValue(header, "DETECTOR") === "WFC" &&
    requireValue(header, "XCORNER") === "0.0" &&
    requireValue(header, "YCORNER") === "0.0"
  ) {
    const rows = intOrUndefined(requireValue(header, rowsKey));
    if (rows !== undefined) header[rowsKey] = conditionValue(pythonFloatRepr(rows / 2));
  }
  return header;
}

function acsV3PreconditionRequired(header: Readonly<DatasetHeader>, exptime: string): boolean {
  if (requireValue(header, "DETECTOR") !== "WFC") return true;
  if (exptime < PRE_SM4_SUBARRAY) return true;
  if (!Object.hasOwn(header, "APERTURE") || header["APERTURE"] === "UNDEFINED") return true;
  const gain = pythonFloat(requireValue(header, "CCDGAIN"));
  if (gain === 4.0 || gain === 8.0) return true;
  const amp = requireValue(header, "CCDAMP");
  return amp === "AD" || amp === "BC";
}

function acsFullFrameDefaults(header: DatasetHeader, ltv1: string, ltv2: string): DatasetHeader {
  if (requireValue(header, "DETECTOR") === "WFC") {
    Object.assign(header, { NAXIS1: "4144.0", NAXIS2: "2068.0", [ltv1]: "24.0", [ltv2]: "0.0" });
  } else {
    Object.assign(header, { NAXIS1: "1062.0", NAXIS2: "1044.0", [ltv1]: "19.0" });
    const amp = requireValue(header, "CCDAMP");
    header[ltv2] = amp === "C" || amp === "D" ? "0.0" : "20.0";
  }
  return header;
}

const preconditionAcsV2: HeaderHook = (header) => preconditionAcsBias(header, "NAXIS1", "NAXIS2");
const preconditionAcsV3: HeaderHook = (header) =>
  acsV3PreconditionRequired(header, exposureTime(header))
    ? preconditionAcsBias(header, "NAXIS1", "NAXIS2")
    : { ...header };

/** Hook functions by module (crds.hst.<instrument>) and function name. */
const HST_HOOK_MODULES: Readonly<Record<string, Readonly<Record<string, HeaderHook>>>> = {
  acs: {
    precondition_header_acs_biasfile_v1: (header) => preconditionAcsBias(header, "NUMCOLS", "NUMROWS"),
    precondition_header_acs_biasfile_v2: preconditionAcsV2,
    fallback_header_acs_biasfile_v2: (header) => acsFullFrameDefaults(preconditionAcsV2(header)!, "LTV1", "LTV2"),
    precondition_header_acs_biasfile_v3: preconditionAcsV3,
    fallback_header_acs_biasfile_v3: (header) =>
      acsFullFrameDefaults(preconditionAcsV3(header)!, "RAW_LTV1", "RAW_LTV2"),
  },
  wfc3: {
    precondition_header_wfc3_biasfile_v1: (input) => {
      const header = { ...input };
      if (requireValue(header, "SUBARRAY") === "T" && !requireValue(header, "APERTURE").includes("SUB")) {
        header["APERTURE"] = "N/A";
      }
      return header;
    },
  },
  wfpc2: {
    fallback_header_wfpc2_flatfile_v1: (input) => {
      const header = { ...input };
      const filter1 = requireValue(header, "FILTER1");
      header["FILTER1"] = requireValue(header, "FILTER2");
      header["FILTER2"] = filter1;
      return header;
    },
  },
};

/** The hook `functionName` of instrument module crds.<observatory>.<instrument>, if it exists. */
export function findHook(observatory: string, instrument: string, functionName: string): HeaderHook | undefined {
  if (observatory !== "hst") return undefined;
  const module = HST_HOOK_MODULES[instrument];
  return module !== undefined && Object.hasOwn(module, functionName) ? module[functionName] : undefined;
}

/** locate.dnr_check: ACS/WFC gains 0.5 and 1.4 are "do not reprocess"; any error means false. */
export function doNotReprocess(observatory: string, header: Readonly<DatasetHeader>): boolean {
  if (observatory !== "hst") return false;
  try {
    const gain = pythonFloat(requireValue(header, "CCDGAIN"));
    return requireValue(header, "DETECTOR") === "WFC" && (gain === 0.5 || gain === 1.4);
  } catch {
    return false;
  }
}

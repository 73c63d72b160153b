import { CmdlineError } from "./errors.js";

export type DatasetType = "ipst" | "svm" | "mvm";

export interface Dataset {
  name: string;
  type: DatasetType;
  /** acs, wfc3, cos, stis for ipst; acs or wfc3 for svm; undefined for mvm (a sky cell has no single one). */
  instrument: string | undefined;
  /** `name.lower()[0:5]`: the glob prefix of ipst inputs and outputs. */
  ds5: string;
  /** SVM only: the ipppss of the visit, e.g. acs_8ph_01 → j8ph01. */
  obsSet?: string;
}

export const IPPPSSOOT_RE = /^[IJLOijlo][a-zA-Z0-9]{8}$/;
// CALDP matched these two at the start only; they are anchored here so that trailing text is rejected
// instead of producing globs and paths that match nothing.
export const SVM_RE = /^[a-zA-Z0-9]{3,4}_[a-zA-Z0-9]{3}_[a-zA-Z0-9]{2}$/;
export const MVM_RE = /^skycell-p[0-9]{4}x[0-9]{2}y[0-9]{2}$/;

const SVM_INSTRUMENT_LETTER: Readonly<Record<string, string>> = { acs: "j", wfc3: "i" };

const INSTRUMENT_BY_LETTER: Readonly<Record<string, string>> = {
  J: "acs",
  U: "wfpc2",
  V: "hsp",
  W: "wfpc",
  X: "foc",
  Y: "fos",
  Z: "hrs",
  E: "eng",
  F: "fgs",
  I: "wfc3",
  N: "nicmos",
  O: "stis",
  L: "cos",
};

const ACCEPTED_FORMS =
  "an ipppssoot of an ACS, COS, STIS or WFC3 exposure or association (9 characters starting with I, J, L or O, " +
  "e.g. j8cb010b0), an SVM visit <acs|wfc3>_<ppp>_<vv> (e.g. acs_8ph_01) or an MVM sky cell " +
  "skycell-pNNNNxNNyNN (e.g. skycell-p2381x06y09)";

export function datasetType(name: string): DatasetType | undefined {
  if (IPPPSSOOT_RE.test(name)) return "ipst";
  if (SVM_RE.test(name) && Object.hasOwn(SVM_INSTRUMENT_LETTER, name.split("_")[0])) return "svm";
  if (MVM_RE.test(name)) return "mvm";
  return undefined;
}

/** Instrument of an ipppssoot (from its first letter) or an instrument name given as such (lower-cased). */
export function instrumentOf(nameOrInstrument: string): string {
  const lower = nameOrInstrument.toLowerCase();
  if (Object.values(INSTRUMENT_BY_LETTER).includes(lower)) return lower;
  const instrument = INSTRUMENT_BY_LETTER[nameOrInstrument.charAt(0).toUpperCase()];
  if (!instrument)
    throw new CmdlineError(`No HST instrument starts with '${nameOrInstrument.charAt(0)}' ('${nameOrInstrument}')`);
  return instrument;
}

/** The SVM visit's ipppss: acs_8ph_01 → j8ph01. */
export function svmObsSet(name: string): string {
  const [instrument, proposal, visit] = name.split("_");
  return `${SVM_INSTRUMENT_LETTER[instrument.toLowerCase()]}${proposal}${visit}`.toLowerCase();
}

/** Classifies a dataset name; anything else is a command-line error naming the value and the accepted forms. */
export function parseDataset(name: string): Dataset {
  const type = datasetType(name);
  if (!type) throw new CmdlineError(`Invalid dataset name '${name}': expected ${ACCEPTED_FORMS}`);
  const ds5 = name.toLowerCase().slice(0, 5);
  if (type === "ipst") return { name, type, instrument: instrumentOf(name), ds5 };
  if (type === "svm") return { name, type, instrument: name.split("_")[0], ds5, obsSet: svmObsSet(name) };
  return { name, type, instrument: undefined, ds5 };
}

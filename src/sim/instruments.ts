/**
 * Per-instrument observation settings: spectral elements, aperture, calibration switches and the
 * reference keywords of the primary header, in the order real raws list them.
 */
import type { DetectorModel } from "./detectors.js";

export interface InstrumentSetup {
  spectralElements: Record<string, string>;
  aperture: string;
  switches: [string, string][];
  referenceKeywords: string[];
  extra: [string, string | number | boolean, string][];
  /** Filekinds that CRDS finds irrelevant for this observation (their keywords are 'N/A'). */
  irrelevant: Set<string>;
}

const P = "PERFORM";
const O = "OMIT";

export function instrumentSetup(model: DetectorModel, crsplit: boolean): InstrumentSetup {
  const cr = crsplit ? P : O;
  switch (model.instrument) {
    case "ACS":
      return {
        spectralElements: { FILTER1: "F606W", FILTER2: model.detector === "WFC" ? "CLEAR2L" : "CLEAR2S" },
        aperture: model.detector === "WFC" ? "WFC" : "HRC",
        switches: [
          ["DQICORR", P],
          ["ATODCORR", O],
          ["BLEVCORR", P],
          ["BIASCORR", P],
          ["FLSHCORR", O],
          ["CRCORR", cr],
          ["EXPSCORR", P],
          ["SHADCORR", O],
          ["PCTECORR", O],
          ["SINKCORR", O],
          ["DARKCORR", P],
          ["FLATCORR", P],
          ["PHOTCORR", P],
          ["RPTCORR", O],
          ["DRIZCORR", O],
          ["GLINCORR", O],
          ["LFLGCORR", O],
        ],
        referenceKeywords: ["BPIXTAB", "CCDTAB", "ATODTAB", "OSCNTAB", "BIASFILE", "FLSHFILE", "CRREJTAB", "SHADFILE"]
          .concat(["DARKFILE", "PFLTFILE", "DFLTFILE", "LFLTFILE", "PHOTTAB", "IMPHTTAB", "SATUFILE", "DRKCFILE"])
          .concat(["PCTETAB", "SNKCFILE", "IDCTAB", "DGEOFILE", "MDRIZTAB", "CFLTFILE", "SPOTTAB", "D2IMFILE"])
          .concat(["NPOLFILE", "MLINTAB"]),
        extra: [
          ["FLASHDUR", 0, "Exposure time in seconds: 0.1 to 409.5"],
          ["FLASHCUR", "OFF", "Post flash current: OFF, LOW, MED, HIGH"],
          ["FLASHSTA", "NOT PERFORMED", "Status: SUCCESSFUL, ABORTED, NOT PERFORMED"],
          ["SHUTRPOS", "A", "Shutter position: A or B"],
        ],
        irrelevant: new Set(crsplit ? [] : ["crrejtab"]),
      };
    case "WFC3": {
      const ir = model.detector === "IR";
      const switches: [string, string][] = ir
        ? [
            ["DQICORR", P],
            ["ZSIGCORR", P],
            ["BLEVCORR", P],
            ["ZOFFCORR", P],
            ["NOISCORR", P],
            ["NLINCORR", P],
            ["DARKCORR", P],
            ["PHOTCORR", P],
            ["UNITCORR", P],
            ["CRCORR", P],
            ["FLATCORR", P],
            ["DRIZCORR", O],
          ]
        : [
            ["DQICORR", P],
            ["ATODCORR", O],
            ["BLEVCORR", P],
            ["BIASCORR", P],
            ["FLSHCORR", O],
            ["CRCORR", cr],
            ["EXPSCORR", P],
            ["SHADCORR", O],
            ["DARKCORR", P],
            ["FLATCORR", P],
            ["PHOTCORR", P],
            ["FLUXCORR", P],
            ["PCTECORR", O],
            ["DRIZCORR", O],
          ];
      return {
        spectralElements: { FILTER: ir ? "F160W" : "F606W" },
        aperture: ir ? "IR" : "UVIS",
        switches,
        referenceKeywords: ["BPIXTAB", "CCDTAB", "ATODTAB", "OSCNTAB", "BIASFILE", "FLSHFILE", "CRREJTAB", "SHADFILE"]
          .concat(["DARKFILE", "NLINFILE", "PFLTFILE", "DFLTFILE", "LFLTFILE", "PHOTTAB", "IMPHTTAB", "SNKCFILE"])
          .concat(["BIACFILE", "DRKCFILE", "PCTETAB", "IDCTAB", "DGEOFILE", "MDRIZTAB", "D2IMFILE", "NPOLFILE"]),
        extra: ir
          ? []
          : [
              ["CHINJECT", "NONE", "Charge Injection Mode"],
              ["FLASHDUR", 0, "Exposure time in seconds: 0.1 to 409.5"],
              ["FLASHCUR", "OFF", "Post flash current (zero, low, medium, high)"],
              ["FLASHSTA", "NOT PERFORMED", "Status: SUCCESSFUL, ABORTED, NOT PERFORMED"],
              ["SHUTRPOS", "A", "Shutter position: A or B"],
            ],
        irrelevant: new Set(ir ? ["biasfile", "snkcfile"] : ["nlinfile"]),
      };
    }
    case "STIS":
      return {
        spectralElements: { OPT_ELEM: "MIRVIS" },
        aperture: "50CCD",
        switches: [
          ["DQICORR", P],
          ["ATODCORR", O],
          ["BLEVCORR", P],
          ["BIASCORR", P],
          ["CRCORR", cr],
          ["RPTCORR", O],
          ["EXPSCORR", cr], // a CR-SPLIT also gives the CR-flagged _flt, as in the archive since 2011
          ["DARKCORR", P],
          ["FLATCORR", P],
          ["SHADCORR", O],
          ["PHOTCORR", P],
          ["GEOCORR", O],
        ],
        referenceKeywords: ["BPIXTAB", "DARKFILE", "PFLTFILE", "DFLTFILE", "LFLTFILE", "IMPHTTAB", "APERTAB"].concat([
          "CCDTAB",
          "ATODTAB",
          "BIASFILE",
          "SHADFILE",
          "CRREJTAB",
          "IDCTAB",
          "TDSTAB",
        ]),
        extra: [["FILTER", "Clear", "filter"]],
        irrelevant: new Set(),
      };
  }
}

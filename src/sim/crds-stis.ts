/**
 * The STIS spectroscopic rmaps of the simulated CRDS cache: parkeys, relevance and switches as in the real
 * hst_0729 mappings (hst_stis_wcptab_0251, lamptab_0250, apdestab_0252, sdctab_0251, disptab_0250,
 * inangtab_0250, sptrctab_0250, xtractab_0250, phottab_0253, apertab_0250, pctab_0250, tdstab_0251,
 * gactab_0250).
 */
const SPECTROSCOPIC = '(OBSTYPE == "SPECTROSCOPIC")';

const table = (filekind: string, parkey: string[], relevance = SPECTROSCOPIC) => ({
  filekind,
  parkey,
  format: "TABLE" as const,
  required: "NONE" as const,
  switch: "NONE",
  relevance,
});

export const STIS_SPECTROSCOPIC_RMAPS = [
  table("wcptab", []),
  table("lamptab", []),
  table("apdestab", [], '(OBSTYPE=="SPECTROSCOPIC")'),
  table("sdctab", ["DETECTOR"]),
  table("disptab", ["DETECTOR"]),
  table("inangtab", ["DETECTOR"]),
  table("sptrctab", ["DETECTOR"]),
  table("xtractab", ["DETECTOR"]),
  table("phottab", ["DETECTOR", "OBSTYPE"], "ALWAYS"),
  table("apertab", [], "ALWAYS"),
  table("pctab", ["DETECTOR", "OBSTYPE", "OPT_ELEM"]),
  table("tdstab", ["DETECTOR"], "ALWAYS"),
  table("gactab", ["DETECTOR"], '((OBSTYPE == "SPECTROSCOPIC") and (DETECTOR == "CCD"))'),
];

/** Filekinds of the real hst_0729 STIS imap that no simulation writes: 'N/A' in the imap. */
export const STIS_NOT_SIMULATED = ["cdstab", "echsctab", "exstab", "halotab", "idctab"].concat([
  "mofftab",
  "riptab",
  "srwtab",
  "teltab",
]);

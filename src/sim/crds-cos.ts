/**
 * The COS rmaps of the simulated CRDS cache: parkeys, relevance, switch and format as in the real hst_0729
 * mappings (hst_cos_bpixtab_0255, deadtab_0250, flatfile_0254, xtractab_0260, disptab_0267, lamptab_0258,
 * wcptab_0255, fluxtab_0264, tdstab_0257), and the COS
 * filekinds the simulation leaves out ('N/A' in the imap).
 */
export const COS_RMAPS = [
  {
    filekind: "bpixtab",
    parkey: ["DETECTOR"],
    format: "TABLE",
    required: "NONE",
    switch: "NONE",
    relevance: "ALWAYS",
  },
  {
    filekind: "deadtab",
    parkey: ["DETECTOR"],
    format: "TABLE",
    required: "NONE",
    switch: "DEADCORR",
    relevance: '(DEADCORR != "OMIT")',
  },
  {
    filekind: "flatfile",
    parkey: ["DETECTOR", "OPT_ELEM", "LIFE_ADJ"],
    format: "IMAGE",
    required: "NO",
    switch: "FLATCORR",
    relevance: '(FLATCORR != "OMIT")',
  },
  {
    filekind: "xtractab",
    parkey: ["DETECTOR", "OBSTYPE", "LIFE_ADJ"],
    format: "TABLE",
    required: "NONE",
    switch: "NONE",
    relevance: '(OBSTYPE == "SPECTROSCOPIC")',
  },
  {
    filekind: "disptab",
    parkey: ["DETECTOR", "OBSTYPE", "LIFE_ADJ"],
    format: "TABLE",
    required: "NONE",
    switch: "NONE",
    relevance: '(OBSTYPE == "SPECTROSCOPIC")',
  },
  {
    filekind: "lamptab",
    parkey: ["DETECTOR", "OBSTYPE", "LIFE_ADJ"],
    format: "TABLE",
    required: "NONE",
    switch: "NONE",
    relevance: '(OBSTYPE == "SPECTROSCOPIC")',
  },
  {
    filekind: "wcptab",
    parkey: ["DETECTOR", "OBSTYPE", "LIFE_ADJ"],
    format: "TABLE",
    required: "NONE",
    switch: "NONE",
    relevance: '(OBSTYPE == "SPECTROSCOPIC")',
  },
  {
    filekind: "fluxtab",
    parkey: ["DETECTOR", "OBSTYPE", "LIFE_ADJ"],
    format: "TABLE",
    required: "NONE",
    switch: "FLUXCORR",
    relevance: '((OBSTYPE == "SPECTROSCOPIC") and (FLUXCORR != "OMIT"))',
  },
  {
    filekind: "tdstab",
    parkey: ["DETECTOR", "OBSTYPE", "CENWAVE"],
    format: "TABLE",
    required: "NO",
    switch: "TDSCORR",
    relevance: '((OBSTYPE == "SPECTROSCOPIC") and (TDSCORR != "OMIT"))',
  },
] as const;

export const COS_NOT_SIMULATED = ["badttab", "brftab", "brsttab", "dgeofile", "geofile", "gsagtab"].concat([
  "hvtab",
  "phatab",
  "proftab",
  "spottab",
  "spwcstab",
  "tracetab",
  "twozxtab",
  "xwlkfile",
  "ywlkfile",
]);

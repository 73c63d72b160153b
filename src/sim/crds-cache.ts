/**
 * A small offline CRDS cache for a simulated dataset (crds.md §2, §5): one pmap, one imap and one rmap
 * per simulated reference type, in CRDS mapping syntax with sha1sums computed as the client does,
 * plus config/hst/server_config (a Python literal) and the flat reference layout.
 * Parkeys, relevance expressions and hooks are those of the real hst_0729 rmaps; the selectors hold one
 * Match key (the simulated dataset's values) with one UseAfter date each.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Card } from "../fits/index.js";
import { COS_NOT_SIMULATED, COS_RMAPS } from "./crds-cos.js";
import { STIS_NOT_SIMULATED, STIS_SPECTROSCOPIC_RMAPS } from "./crds-stis.js";
import type { Instrument } from "./detectors.js";
import type { ReferenceFile } from "./reference-files.js";

/** Instruments the simulated cache maps (COS has no DetectorModel: its simulator is cos-nuv.ts). */
export type CacheInstrument = Instrument | "COS";

interface RmapSpec {
  filekind: string;
  parkey: readonly string[];
  format: "IMAGE" | "TABLE";
  required: "YES" | "NO" | "NONE";
  switch: string;
  relevance: string;
  /** Parkeys whose key value is 'N/A' (irrelevant or don't-care for this detector and observation). */
  na?: (detector: string, cards: Map<string, Card>) => string[];
  /** Extra header fields as Python source, keyed by field name. */
  extra?: Record<string, string>;
}

const ACS_RMAPS: RmapSpec[] = [
  {
    filekind: "biasfile",
    parkey: [
      "DETECTOR",
      "CCDAMP",
      "CCDGAIN",
      "APERTURE",
      "NAXIS1",
      "NAXIS2",
      "LTV1",
      "LTV2",
      "XCORNER",
      "YCORNER",
      "CCDCHIP",
    ],
    format: "IMAGE",
    required: "YES",
    switch: "BIASCORR",
    relevance: '((DETECTOR != "SBC") and (BIASCORR != "OMIT"))',
    na: () => ["APERTURE", "XCORNER", "YCORNER", "CCDCHIP"],
    extra: {
      extra_keys: "('XCORNER', 'YCORNER', 'CCDCHIP')",
      hooks: pyDict({
        fallback_header: "'fallback_header_acs_biasfile_v2'",
        precondition_header: "'precondition_header_acs_biasfile_v2'",
      }),
    },
  },
  {
    filekind: "darkfile",
    parkey: ["DETECTOR", "CCDAMP", "CCDGAIN"],
    format: "IMAGE",
    required: "YES",
    switch: "DARKCORR",
    relevance: '(DARKCORR != "OMIT")',
    na: (d) => (d === "SBC" ? ["CCDAMP", "CCDGAIN"] : []),
    extra: { parkey_relevance: pyDict({ ccdamp: `'(DETECTOR != "SBC")'`, ccdgain: `'(DETECTOR != "SBC")'` }) },
  },
  {
    filekind: "pfltfile",
    parkey: ["DETECTOR", "CCDAMP", "FILTER1", "FILTER2", "OBSTYPE", "FW1OFFST", "FW2OFFST", "FWSOFFST"],
    format: "IMAGE",
    required: "YES",
    switch: "FLATCORR",
    relevance: '((OBSTYPE != "INTERNAL") and (FLATCORR != "OMIT"))',
    na: (d) => ["FW1OFFST", "FW2OFFST", "FWSOFFST", ...(d === "SBC" ? ["CCDAMP"] : [])],
    extra: {
      parkey_relevance: pyDict({
        ccdamp: `'(DETECTOR != "SBC")'`,
        fw1offst: `'(FW1OFFST == "-1.0" or FW1OFFST == "1.0")'`,
        fw2offst: `'(FW2OFFST == "-1.0" or FW2OFFST == "1.0")'`,
        fwsoffst: `'(FWSOFFST == "-1.0" or FWSOFFST == "1.0")'`,
      }),
    },
  },
  detectorOnly("bpixtab", "TABLE", "YES", "DQICORR", '(DQICORR != "OMIT")'),
  detectorOnly("ccdtab", "TABLE", "YES", "NONE", '(DETECTOR != "SBC")'),
  detectorOnly("oscntab", "TABLE", "YES", "NONE", '(DETECTOR != "SBC")'),
  {
    filekind: "crrejtab",
    parkey: ["DETECTOR", "RPTCORR"],
    format: "TABLE",
    required: "YES",
    switch: "CRCORR",
    relevance: '((DETECTOR != "SBC") and ((CRCORR != "OMIT") or (RPTCORR != "OMIT")))',
    na: () => ["RPTCORR"],
    extra: { extra_keys: "('RPTCORR',)" },
  },
  detectorOnly("imphttab", "TABLE", "YES", "PHOTCORR", '(PHOTCORR != "OMIT")'),
  detectorOnly("satufile", "IMAGE", "YES", "BIASCORR", '((DETECTOR != "SBC") and (BIASCORR != "OMIT"))'),
  detectorOnly("mlintab", "TABLE", "YES", "GLINCORR", '((DETECTOR == "SBC") and (GLINCORR != "OMIT"))'),
  // Written only for simulated CTE (acs-cte.ts); otherwise N/A as before.
  detectorOnly("pctetab", "TABLE", "NO", "PCTECORR", '((DETECTOR == "WFC") and (PCTECORR != "OMIT"))'),
  {
    filekind: "drkcfile",
    parkey: ["DETECTOR", "CCDAMP", "CCDGAIN"],
    format: "IMAGE",
    required: "NO",
    switch: "PCTECORR",
    relevance: '((DETECTOR == "WFC") and (PCTECORR != "OMIT"))',
    extra: { parkey_relevance: pyDict({ ccdamp: `'(DETECTOR != "SBC")'`, ccdgain: `'(DETECTOR != "SBC")'` }) },
  },
  // Written for the dithered association (dither.ts); parkeys and relevance as in hst_0729's rmaps.
  detectorOnly("idctab", "TABLE", "YES", "NONE", "ALWAYS"),
  {
    filekind: "d2imfile",
    parkey: [],
    format: "IMAGE",
    required: "NO",
    switch: "DRIZCORR",
    relevance: '((DETECTOR == "WFC") and (DRIZCORR != "OMIT"))',
  },
  {
    filekind: "npolfile",
    parkey: ["DETECTOR", "FILTER1", "FILTER2"],
    format: "IMAGE",
    required: "NO",
    switch: "DRIZCORR",
    relevance: '(DRIZCORR != "OMIT")',
  },
];

const WFC3_RMAPS: RmapSpec[] = [
  {
    filekind: "biasfile",
    parkey: ["DETECTOR", "CCDAMP", "CCDGAIN", "BINAXIS1", "BINAXIS2", "APERTURE", "CHINJECT", "SUBARRAY"],
    format: "IMAGE",
    required: "YES",
    switch: "BIASCORR",
    relevance: '((DETECTOR == "UVIS") and (BIASCORR != "OMIT"))',
    na: () => ["SUBARRAY"],
    extra: {
      extra_keys: "('SUBARRAY',)",
      hooks: pyDict({ precondition_header: "'precondition_header_wfc3_biasfile_v1'" }),
    },
  },
  {
    filekind: "darkfile",
    parkey: ["DETECTOR", "CCDAMP", "BINAXIS1", "BINAXIS2", "CCDGAIN", "SAMP_SEQ", "SUBTYPE"],
    format: "IMAGE",
    required: "NONE",
    switch: "DARKCORR",
    relevance: '(DARKCORR != "OMIT")',
    na: (d) => (d === "IR" ? ["BINAXIS1", "BINAXIS2"] : ["CCDGAIN", "SAMP_SEQ", "SUBTYPE"]),
    extra: {
      parkey_relevance: pyDict({
        binaxis1: `'(DETECTOR == "UVIS")'`,
        binaxis2: `'(DETECTOR == "UVIS")'`,
        ccdgain: `'(DETECTOR == "IR")'`,
        samp_seq: `'(DETECTOR == "IR")'`,
        subtype: `'(DETECTOR == "IR")'`,
      }),
    },
  },
  {
    filekind: "pfltfile",
    parkey: ["DETECTOR", "CCDAMP", "FILTER", "BINAXIS1", "BINAXIS2"],
    format: "IMAGE",
    required: "NONE",
    switch: "FLATCORR",
    relevance: '((FILTER != "BLANK") and (FLATCORR != "OMIT"))',
    na: (d) => (d === "IR" ? ["BINAXIS1", "BINAXIS2"] : []),
    extra: { parkey_relevance: pyDict({ binaxis1: `'(DETECTOR == "UVIS")'`, binaxis2: `'(DETECTOR == "UVIS")'` }) },
  },
  detectorOnly("bpixtab", "TABLE", "NONE", "DQICORR", '(DQICORR != "OMIT")'),
  detectorOnly("ccdtab", "TABLE", "NONE", "NONE", "ALWAYS"),
  detectorOnly("oscntab", "TABLE", "NONE", "NONE", "ALWAYS"),
  detectorOnly("crrejtab", "TABLE", "NONE", "NONE", "ALWAYS"),
  detectorOnly("imphttab", "TABLE", "NO", "PHOTCORR", '(PHOTCORR != "OMIT")'),
  detectorOnly("nlinfile", "IMAGE", "NONE", "NONE", '(DETECTOR == "IR")'),
  {
    filekind: "snkcfile",
    parkey: [],
    format: "IMAGE",
    required: "YES",
    switch: "PCTECORR",
    relevance: '(DETECTOR=="UVIS")',
  },
  // Written only for simulated CTE (wfc3-cte.ts); otherwise N/A as before. Relevance as in hst_0729's rmaps.
  ...(["pctetab", "biacfile", "drkcfile"] as const).map(
    (filekind): RmapSpec => ({
      filekind,
      parkey: [],
      format: filekind === "pctetab" ? "TABLE" : "IMAGE",
      required: "YES",
      switch: "PCTECORR",
      relevance: '(DETECTOR == "UVIS" and PCTECORR == "PERFORM")',
    }),
  ),
];

const STIS_RMAPS: RmapSpec[] = [
  {
    filekind: "biasfile",
    parkey: ["CCDAMP", "CCDGAIN", "CCDOFFST", "BINAXIS1", "BINAXIS2"],
    format: "IMAGE",
    required: "NONE",
    switch: "BIASCORR",
    relevance: '((DETECTOR == "CCD") and (BIASCORR != "OMIT"))',
  },
  {
    filekind: "darkfile",
    parkey: ["DETECTOR", "CCDAMP", "CCDGAIN"],
    format: "IMAGE",
    required: "NONE",
    switch: "NONE",
    relevance: "ALWAYS",
    na: (detector) => (detector === "CCD" ? [] : ["CCDAMP", "CCDGAIN"]),
    extra: { parkey_relevance: pyDict({ ccdamp: `'(DETECTOR == "CCD")'`, ccdgain: `'(DETECTOR == "CCD")'` }) },
  },
  {
    filekind: "pfltfile",
    parkey: ["DETECTOR", "OPT_ELEM", "OBSTYPE", "CENWAVE", "APERTURE"],
    format: "IMAGE",
    required: "NONE",
    switch: "NONE",
    relevance: "ALWAYS",
    na: (_, cards) => [cards.get("OBSTYPE")?.value === "SPECTROSCOPIC" ? "APERTURE" : "CENWAVE"],
    extra: {
      parkey_relevance: pyDict({ aperture: `'(OBSTYPE == "IMAGING")'`, cenwave: `'(OBSTYPE == "SPECTROSCOPIC")'` }),
    },
  },
  detectorOnly("bpixtab", "TABLE", "NONE", "NONE", "ALWAYS"),
  {
    filekind: "ccdtab",
    parkey: [],
    format: "TABLE",
    required: "NONE",
    switch: "NONE",
    relevance: '(DETECTOR == "CCD")',
  },
  {
    filekind: "crrejtab",
    parkey: [],
    format: "TABLE",
    required: "NONE",
    switch: "NONE",
    relevance: '(DETECTOR == "CCD")',
  },
  detectorOnly("imphttab", "TABLE", "NONE", "PHOTCORR", '(PHOTCORR != "OMIT")'),
  ...STIS_SPECTROSCOPIC_RMAPS,
  // The MAMA references (stis-mama.ts), keyed as in hst_0729's rmaps.
  {
    filekind: "lfltfile",
    parkey: ["DETECTOR", "OPT_ELEM", "OBSTYPE", "CENWAVE", "APERTURE"],
    format: "IMAGE",
    required: "NONE",
    switch: "NONE",
    relevance: "ALWAYS",
    na: () => ["CENWAVE"],
    extra: {
      parkey_relevance: pyDict({ aperture: `'(OBSTYPE == "IMAGING")'`, cenwave: `'(OBSTYPE == "SPECTROSCOPIC")'` }),
    },
  },
  {
    filekind: "mlintab",
    parkey: [],
    format: "TABLE",
    required: "NONE",
    switch: "NONE",
    relevance: '(DETECTOR != "CCD")',
  },
  detectorOnly("tdctab", "TABLE", "NONE", "NONE", '(DETECTOR == "NUV-MAMA")'),
];

/** Filekinds of the real hst_0729 imaps that the simulation leaves out: 'N/A' in the imap. */
const NOT_SIMULATED: Record<CacheInstrument, string[]> = {
  COS: COS_NOT_SIMULATED,
  ACS: ["atodtab", "cfltfile", "dgeofile", "flshfile", "mdriztab"].concat(["shadfile", "snkcfile", "spottab"]),
  WFC3: ["atodtab", "d2imfile", "flshfile", "idctab", "mdriztab", "npolfile"],
  STIS: STIS_NOT_SIMULATED,
};

export const RMAP_SPECS: Record<CacheInstrument, readonly RmapSpec[]> = {
  ACS: ACS_RMAPS,
  WFC3: WFC3_RMAPS,
  STIS: STIS_RMAPS,
  COS: COS_RMAPS,
};

function detectorOnly(
  filekind: string,
  format: RmapSpec["format"],
  required: RmapSpec["required"],
  reffileSwitch: string,
  relevance: string,
): RmapSpec {
  return { filekind, parkey: ["DETECTOR"], format, required, switch: reffileSwitch, relevance };
}

function pyDict(entries: Record<string, string>): string {
  const lines = Object.keys(entries)
    .sort()
    .map((k) => `        '${k}' : ${entries[k]},`);
  return `{\n${lines.join("\n")}\n    }`;
}

const pyString = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

function pyTuple(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

/** A header value as an rmap key literal (numbers unquoted as the CDBS-generated rmaps write them). */
function pyValue(card: Card | undefined): string {
  if (!card) return pyString("N/A");
  if (card.kind === "int") return String(card.value);
  if (card.kind === "float") {
    const n = card.value as number;
    return Number.isInteger(n) ? `${n}.0` : String(n);
  }
  if (card.kind === "bool") return pyString(card.value ? "T" : "F");
  return pyString(String(card.value).trim());
}

/** SHA-1 of the text without the lines that contain "sha1sum" (Mapping._get_checksum). */
export function crdsMappingChecksum(text: string): string {
  const kept = text
    .split(/(?<=\n)/)
    .filter((line) => !line.includes("sha1sum"))
    .join("");
  return createHash("sha1").update(kept, "utf8").digest("hex");
}

/** Header dict text (keys sorted) with the sha1sum filled in. */
function mappingText(fields: Record<string, string>, body: string): string {
  const render = (sha: string) => {
    const all: Record<string, string> = { ...fields, sha1sum: pyString(sha) };
    const lines = Object.keys(all)
      .sort()
      .map((k) => `    '${k}' : ${all[k]},`);
    return `header = {\n${lines.join("\n")}\n}\n\n${body}`;
  };
  return render(crdsMappingChecksum(render("")));
}

export interface CrdsCache {
  root: string;
  context: string;
  mappings: string[];
}

/** What the cache needs of a detector: its instrument, name and the USEAFTER of its references. */
export interface CacheModel {
  instrument: CacheInstrument;
  detector: string;
  /** "YYYY-MM-DD HH:MM:SS". */
  useAfter: string;
}

export interface CacheInput {
  root: string;
  model: CacheModel;
  references: ReferenceFile[];
  /** Cards of the union of the raw headers (primary first), first occurrence wins. */
  datasetCards: Map<string, Card>;
  serial?: string;
}

export function writeCrdsCache(input: CacheInput): CrdsCache {
  const { model, root } = input;
  const serial = input.serial ?? "9000";
  const instrument = model.instrument.toLowerCase();
  const mappingDir = join(root, "mappings", "hst");
  const configDir = join(root, "config", "hst");
  mkdirSync(mappingDir, { recursive: true });
  mkdirSync(configDir, { recursive: true });
  mkdirSync(join(root, "references", "hst"), { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(join(mappingDir, name), text);
    written.push(name);
  };
  const imapEntries: Record<string, string> = {};
  for (const spec of RMAP_SPECS[model.instrument]) {
    const reference = input.references.find((r) => r.filekind === spec.filekind);
    if (!reference) {
      imapEntries[spec.filekind] = pyString("N/A");
      continue;
    }
    const name = `hst_${instrument}_${spec.filekind}_${serial}.rmap`;
    write(name, rmapText(spec, name, model, reference.name, input.datasetCards));
    imapEntries[spec.filekind] = pyString(name);
  }
  for (const filekind of NOT_SIMULATED[model.instrument]) imapEntries[filekind] = pyString("N/A");
  const imapName = `hst_${instrument}_${serial}.imap`;
  const imapSelector = Object.keys(imapEntries)
    .sort()
    .map((k) => `    '${k}' : ${imapEntries[k]},`)
    .join("\n");
  write(
    imapName,
    mappingText(
      {
        derived_from: pyString("generated by caldp sim"),
        instrument: pyString(model.instrument),
        mapping: pyString("INSTRUMENT"),
        name: pyString(imapName),
        observatory: pyString("HST"),
        parkey: "('REFTYPE',)",
      },
      `selector = {\n${imapSelector}\n}\n`,
    ),
  );
  const context = `hst_${serial}.pmap`;
  write(
    context,
    mappingText(
      {
        derived_from: pyString("generated by caldp sim"),
        mapping: pyString("PIPELINE"),
        name: pyString(context),
        observatory: pyString("HST"),
        parkey: "('INSTRUME',)",
      },
      `selector = {\n    '${model.instrument}' : '${imapName}',\n}\n`,
    ),
  );
  writeFileSync(join(configDir, "server_config"), serverConfig(context, written));
  writeFileSync(join(configDir, "ref_cache_subdir_mode"), "flat\n");
  writeFileSync(join(configDir, "bad_files.txt"), "");
  return { root, context, mappings: written.sort() };
}

function rmapText(spec: RmapSpec, name: string, model: CacheModel, file: string, cards: Map<string, Card>): string {
  const na = new Set(spec.na?.(model.detector, cards) ?? []);
  const key = spec.parkey.map((p) => (na.has(p) ? pyString("N/A") : pyValue(cards.get(p))));
  const fields: Record<string, string> = {
    derived_from: pyString("generated by caldp sim"),
    filekind: pyString(spec.filekind.toUpperCase()),
    instrument: pyString(model.instrument),
    mapping: pyString("REFERENCE"),
    name: pyString(name),
    observatory: pyString("HST"),
    parkey: `(${pyTuple(spec.parkey.map(pyString))}, ('DATE-OBS', 'TIME-OBS'))`,
    reffile_format: pyString(spec.format),
    reffile_required: pyString(spec.required),
    reffile_switch: pyString(spec.switch),
    rmap_relevance: pyString(spec.relevance),
    ...spec.extra,
  };
  if (spec.parkey.length === 0) fields.parkey = "((), ('DATE-OBS', 'TIME-OBS'))";
  const keyText = spec.parkey.length === 0 ? "()" : pyTuple(key);
  const body = `selector = Match({\n    ${keyText} : UseAfter({\n        '${model.useAfter}' : '${file}',\n    }),\n})\n`;
  return mappingText(fields, body);
}

/** The cached get_server_info() as the client's pprint of a dict (a Python literal, not JSON). */
function serverConfig(context: string, mappings: string[]): string {
  const list = mappings.map((m) => `'${m}'`).join(",\n              ");
  return [
    "{'bad_files_list': [],",
    ` 'context_history': [['2026-01-01 00:00:00', '${context}', 'simulated by caldp sim']],`,
    " 'crds_version': {'rev': 'caldp-sim', 'str': '13.2.7', 'svnurl': 'none'},",
    ` 'edit_context': '${context}',`,
    " 'force_remote_mode': False,",
    ` 'latest_context': '${context}',`,
    ` 'mappings': [${list}],`,
    " 'observatory': 'hst',",
    ` 'operational_context': '${context}',`,
    ` 'versions_context': '${context}'}`,
    "",
  ].join("\n");
}

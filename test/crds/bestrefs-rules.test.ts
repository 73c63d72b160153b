// Lookup rules documented in docs/crds.md (§3.4-3.6, §3.10) and exercised by the client's own unit tests.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { findHook } from "../../src/crds/hst-hooks.js";
import { getBestReferences, loadContext, MappingLoader, type ReferenceMapping } from "../../src/crds/index.js";
import { CRDS_DATA } from "../helpers/paths.js";

const FIXTURES = join(CRDS_DATA, "crds-test-data");
const fixtures = new MappingLoader({ mappingDir: FIXTURES, ignoreChecksum: true });
const hst0729 = loadContext(join(CRDS_DATA, "mappings", "hst", "hst_0729.pmap"));

const HRC = {
  INSTRUME: "ACS",
  DETECTOR: "HRC",
  CCDAMP: "B",
  CCDGAIN: "7.0",
  "DATE-OBS": "2015-04-30",
  "TIME-OBS": "00:00:00",
};

test("imap-level N/A gives 'NOT FOUND n/a' and imap-level OMIT drops the type (hst_acs_9999.imap)", () => {
  const imap = fixtures.load(join(FIXTURES, "hst_acs_9999.imap"));
  const refs = getBestReferences(imap, HRC);
  assert.equal(refs.pctetab, "NOT FOUND n/a");
  assert.equal(refs.crrejtab, "NOT FOUND n/a");
  assert.ok(!("mlintab" in refs));
});

test("test hst_acs.imap: HRC / B / CCDGAIN 7.0 on 2015-04-30 finds no darkfile", () => {
  const imap = fixtures.load(join(FIXTURES, "hst_acs.imap"));
  assert.deepEqual(getBestReferences(imap, HRC, { filekinds: ["darkfile"] }), {
    darkfile: "NOT FOUND No match found.",
  });
});

test("rmap leaves N/A and OMIT map to 'NOT FOUND n/a' and to an omitted type", () => {
  const rmap = fixtures.load(join(FIXTURES, "hst_acs_darkfile_na_omit.rmap")) as ReferenceMapping;
  const at = (date: string) =>
    rmap.getBestRef({ DETECTOR: "SBC", CCDAMP: "A", CCDGAIN: "1.0", "DATE-OBS": date, "TIME-OBS": "00:00:00" });
  assert.equal(at("1995-01-01"), "NOT FOUND n/a");
  assert.equal(at("2002-03-10"), "n3o1022cj_drk.fits");
  assert.equal(at("2002-03-19 12:00:00".split(" ")[0]), "n3o1022ej_drk.fits");
  assert.equal(at("2002-03-20"), undefined);
});

test("SYNPHOT rmap_omit 'True' is lower-cased, fails to evaluate, warns, and does not omit", () => {
  const warnings: string[] = [];
  const loader = new MappingLoader({ onWarning: (message) => warnings.push(message) });
  const pmap = loader.load(join(CRDS_DATA, "mappings", "hst", "hst_0729.pmap"));
  const refs = getBestReferences(pmap, { INSTRUME: "SYNPHOT" });
  assert.equal(Object.keys(refs).length, 5);
  assert.equal(warnings.filter((w) => w.includes("name 'true' is not defined")).length, 5);
});

test("missing or undefined dates give the client's UseAfter and hook messages", () => {
  const cos = getBestReferences(
    hst0729,
    { INSTRUME: "COS", DETECTOR: "FUV", DEADCORR: "PERFORM", "DATE-OBS": "2010-01-01" },
    {
      filekinds: ["deadtab"],
    },
  );
  assert.deepEqual(cos, { deadtab: "NOT FOUND UseAfter parameter 'TIME-OBS' is UNDEFINED." });
  const acs = getBestReferences(
    hst0729,
    { INSTRUME: "ACS", DETECTOR: "HRC", BIASCORR: "PERFORM", "DATE-OBS": "2002-04-13" },
    {
      filekinds: ["biasfile"],
    },
  );
  assert.deepEqual(acs, { biasfile: "NOT FOUND One or more required date/time values is UNDEFINED" });
});

test("an unknown instrument is an error naming the context", () => {
  assert.throws(() => getBestReferences(hst0729, { INSTRUME: "FOS" }), {
    name: "CrdsUnknownInstrumentError",
    message: "Unknown instrument 'fos' for context 'hst_0729.pmap'",
  });
  assert.throws(() => getBestReferences(hst0729, { DETECTOR: "HRC" }), {
    message: "Missing 'INSTRUME' keyword in header for determining instrument.",
  });
});

test("ACS biasfile v2 hooks: pre-SM4 APERTURE and amp merging, WFC NAXIS2 halving, full-frame fallback", () => {
  const precondition = findHook("hst", "acs", "precondition_header_acs_biasfile_v2")!;
  const fallback = findHook("hst", "acs", "fallback_header_acs_biasfile_v2")!;
  const wfc = {
    "DATE-OBS": "2005-01-01",
    "TIME-OBS": "00:00:00",
    DETECTOR: "WFC",
    CCDAMP: "A",
    APERTURE: "WFC1",
    NAXIS1: "4144.0",
    NAXIS2: "2069.0",
    XCORNER: "0.0",
    YCORNER: "0.0",
    LTV1: "0.0",
    LTV2: "0.0",
  };
  const pre = precondition(wfc)!;
  assert.equal(pre.APERTURE, "N/A");
  assert.equal(pre.CCDAMP, "AD");
  assert.equal(pre.NAXIS1, "4144.0");
  assert.equal(pre.NAXIS2, "1034.5");
  const post = precondition({ ...wfc, "DATE-OBS": "2010-01-01", NAXIS2: "4136", XCORNER: "UNDEFINED" })!;
  assert.deepEqual([post.APERTURE, post.CCDAMP, post.NAXIS2], ["WFC1", "A", "4136"]);
  const hrc = fallback({ ...wfc, DETECTOR: "HRC", CCDAMP: "C", NAXIS1: "1062.0" })!;
  assert.deepEqual([hrc.NAXIS1, hrc.NAXIS2, hrc.LTV1, hrc.LTV2], ["1062.0", "1044.0", "19.0", "0.0"]);
  assert.equal(findHook("hst", "cos", "precondition_header_cos_deadtab_v1"), undefined);
});

test("WFC3 biasfile precondition and WFPC2 flatfile fallback", () => {
  const wfc3 = findHook("hst", "wfc3", "precondition_header_wfc3_biasfile_v1")!;
  assert.equal(wfc3({ SUBARRAY: "T", APERTURE: "UVIS1" })!.APERTURE, "N/A");
  assert.equal(wfc3({ SUBARRAY: "T", APERTURE: "UVIS1-SUB" })!.APERTURE, "UVIS1-SUB");
  const wfpc2 = findHook("hst", "wfpc2", "fallback_header_wfpc2_flatfile_v1")!;
  assert.deepEqual(wfpc2({ FILTER1: "F555W", FILTER2: "CLEAR" }), { FILTER1: "CLEAR", FILTER2: "F555W" });
});

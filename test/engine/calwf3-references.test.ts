/**
 * Reference matching driven by the real WFC3 headers in the shared data (read in place): an IR flt
 * (F110W, STEP100) and a UVIS flc (F555W). Checks what calwf3 reads from them: the detector, the
 * switches (COMPLETE steps are not redone), the CCDTAB selection (IR: CCDOFST 0, UVIS: the header's
 * CCDOFST and chip 2 for EXTVER 1), the iref$ names resolved to files, a missing file reported as
 * CAL_FILE_MISSING naming the keyword, the IR ramp parameters from an IRRAMP row, and the UVIS
 * photometry keywords the headers carry (PHOTMODE, PHTRATIO = PHTFLAM2 / PHTFLAM1).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { switchKeywords } from "../../src/calib/common/steps.js";
import { selectWf3CcdParameters } from "../../src/calib/wfc3/ccdtab.js";
import { fluxRatio } from "../../src/calib/wfc3/fluxcorr.js";
import { wf3Photmode } from "../../src/calib/wfc3/photometry.js";
import { IR_STEPS, UVIS_STEPS } from "../../src/calib/wfc3/steps.js";
import { IR_SWITCHES } from "../../src/calib/wfc3/wf3ir.js";
import { irRampParameters } from "../../src/engine/wfc3/ir.js";
import { ccdSelection, detectorOf, switchesOf } from "../../src/engine/wfc3/keywords.js";
import { resolveReferences } from "../../src/engine/wfc3/references.js";
import { FitsFile, type Header } from "../../src/fits/index.js";
import { HST_DATA } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "calwf3-refs-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function headers(name: string): { primary: Header; sci: Header } {
  const file = FitsFile.open(join(HST_DATA, name));
  try {
    return { primary: file.hdus[0].header.clone(), sci: file.hdu("SCI", 1).header.clone() };
  } finally {
    file.close();
  }
}

const ccdRow = (chip: number, ofst: number) => ({
  CCDAMP: "ABCD",
  CCDCHIP: chip,
  CCDGAIN: chip === 1 && ofst === 0 ? 2.5 : 1.5,
  BINAXIS1: 1,
  BINAXIS2: 1,
  CCDOFSTA: ofst,
  CCDOFSTB: ofst,
  CCDOFSTC: ofst,
  CCDOFSTD: ofst,
  ATODGNA: 2.3,
  ATODGNB: 2.4,
  ATODGNC: 2.5,
  ATODGND: 2.6,
  READNSEA: 20,
  READNSEB: 20,
  READNSEC: 20,
  READNSED: 20,
  CCDBIASA: 0,
  CCDBIASB: 0,
  CCDBIASC: 0,
  CCDBIASD: 0,
  AMPX: 507,
  AMPY: 507,
  SATURATE: 60000,
});

test("IR flt header: detector, switches, CCDTAB row with CCDOFST 0, references", () => {
  const { primary, sci } = headers("sample_ipppssoot_flt.fits");
  assert.equal(detectorOf(primary), "IR");
  assert.deepEqual(switchKeywords(IR_STEPS), [...IR_SWITCHES], "the IR step table and WF3IR read the same switches");
  const switches = switchesOf(primary, IR_SWITCHES);
  assert.equal(switches.CRCORR, "OMIT", "COMPLETE steps are not redone");
  assert.equal(switches.DQICORR, "PERFORM", "DQICORR is redone even when COMPLETE");
  const want = ccdSelection(primary, sci, "IR");
  assert.deepEqual(want, { ccdamp: "ABCD", ccdgain: 2.5, ccdchip: 1, ccdofst: [0, 0, 0, 0], binaxis: [1, 1] });
  const params = selectWf3CcdParameters([ccdRow(1, 3), ccdRow(1, 0)], want);
  assert.equal(params.meanGain, Math.fround((2.3 + 2.4 + 2.5 + 2.6) / 4));

  const keywords = ["CCDTAB", "OSCNTAB", "BPIXTAB", "DARKFILE", "PFLTFILE", "NLINFILE", "IMPHTTAB", "CRREJTAB"];
  for (const k of keywords) writeFileSync(join(dir, String(primary.get(k)).replace("iref$", "")), "");
  const names = resolveReferences(primary, "IR", () => true, { iref: `${dir}/` });
  assert.deepEqual(Object.keys(names).sort(), [...keywords].sort());
  assert.deepEqual(names.NLINFILE, { name: "iref$u1k1727mi_lin.fits", path: join(dir, "u1k1727mi_lin.fits") });
  assert.throws(
    () => resolveReferences(primary, "IR", () => true, { iref: `${dir}/missing/` }),
    (e: Error & { code?: string }) =>
      e.code === "CAL_FILE_MISSING" && /CCDTAB = 'iref\$t2c16200i_ccd.fits'/.test(e.message),
  );
  assert.equal(primary.get("PHOTMODE"), wf3Photmode("IR", 1, String(primary.get("FILTER"))));
  assert.deepEqual(
    irRampParameters([
      { CRSPLIT: 1, IRRAMP: false, CRSIGMAS: "6,5" },
      { CRSPLIT: 1, IRRAMP: true, CRSIGMAS: "4,3", BADINPDQ: 39 },
    ]),
    {
      thresh: 4,
      badinpdq: 39,
    },
  );
});

test("UVIS flc header: chip 2 first, CCDOFST 3, BIASFILE and SNKCFILE, the photometry keywords", () => {
  const { primary, sci } = headers("sample_ipppssoot_flc.fits");
  assert.equal(detectorOf(primary), "UVIS");
  const switches = switchesOf(primary, switchKeywords(UVIS_STEPS));
  assert.equal(switches.BIASCORR, "OMIT");
  const want = ccdSelection(primary, sci, "UVIS");
  assert.deepEqual(want, { ccdamp: "ABCD", ccdgain: 1.5, ccdchip: 2, ccdofst: [3, 3, 3, 3], binaxis: [1, 1] });
  assert.equal(selectWf3CcdParameters([ccdRow(1, 3), ccdRow(2, 3)], want).ccdchip, 2);

  const keywords = [
    "CCDTAB",
    "OSCNTAB",
    "BPIXTAB",
    "BIASFILE",
    "SNKCFILE",
    "DARKFILE",
    "PFLTFILE",
    "IMPHTTAB",
    "CRREJTAB",
  ];
  // ATODCORR is OMIT in the header (ATODTAB N/A), as in every real WFC3 exposure
  const perform = (s: string) => s !== "FLSHCORR" && s !== "SHADCORR" && s !== "ATODCORR";
  const touch = (k: string) => writeFileSync(join(dir, String(primary.get(k)).replace("iref$", "")), "");
  keywords.filter((k) => k !== "SNKCFILE").forEach(touch);
  assert.throws(
    () => resolveReferences(primary, "UVIS", perform, { iref: `${dir}/` }),
    /SNKCFILE/,
    "the sink map is required when DQICORR runs",
  );
  keywords.forEach(touch);
  const names = resolveReferences(primary, "UVIS", perform, { iref: `${dir}/` });
  assert.deepEqual(Object.keys(names).sort(), [...keywords].sort());
  assert.equal(names.BIASFILE?.name, "iref$1681903mi_bia.fits");
  assert.equal(names.NLINFILE, undefined, "UVIS needs no NLINFILE");
  assert.equal(
    sci.get("PHOTMODE"),
    wf3Photmode("UVIS", 2, String(primary.get("FILTER")), primary.getNumber("EXPSTART")),
  );
  const ratio = fluxRatio(sci.getNumber("PHTFLAM1"), sci.getNumber("PHTFLAM2"));
  assert.ok(Math.abs(ratio - primary.getNumber("PHTRATIO")) < 1e-7, `${ratio}`);
  assert.equal(sci.getNumber("PHOTFLAM"), sci.getNumber("PHTFLAM1"), "after FLUXCORR PHOTFLAM is PHTFLAM1");
});

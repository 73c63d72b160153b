/**
 * (Re)creates test/parity/fingerprints/cos-findshift-lampflash.json from STScI's calcos: for each case of
 * test/parity/cos-findshift-case.ts, calcos' findshift1.Shift1 (with the real WCPTAB) on the real lampflash's
 * stripes and the moved templates; records every stripe's shift, measured shift, scatter, χ², ndf and flag.
 *
 *   CALCOS=/path/to/venv/bin/calcos node --import tsx scripts/cos-findshift-fingerprints.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  caseInputs,
  findshiftFingerprintPath,
  SHIFT_CASES,
  WCPTAB,
  X_OFFSET,
  XC_RANGE,
} from "../test/parity/cos-findshift-case.js";

const calcos = process.env.CALCOS;
if (!calcos) {
  console.error("cos-findshift-fingerprints: set CALCOS to the calcos command (e.g. <venv>/bin/calcos)");
  process.exit(2);
}
const PROGRAM = `
import json, sys
import numpy as np
from calcos import findshift1
cases = json.load(open(sys.argv[1]))
out = []
for c in cases:
    spectra = {s["stripe"]: np.array(s["spectrum"], dtype=np.float64) for s in c["inputs"]}
    templates = {s["stripe"]: np.array(s["template"], dtype=np.float32) for s in c["inputs"]}
    fp = {s["stripe"]: s["fpPixelShift"] for s in c["inputs"]}
    found = {s["stripe"]: s["found"] for s in c["inputs"]}
    if not any(found.values()):
        found = {k: False for k in found}
    info = {"detector": "NUV", "x_offset": ${X_OFFSET}, "opt_elem": "G285M"}
    fs = findshift1.Shift1(spectra, templates, info, {"wcptab": sys.argv[2]}, ${XC_RANGE}, fp, c["initialOffset"], found)
    fs.findShifts()
    out.append({"name": c["name"], "stripes": {k: {
        "shift1": float(fs.getShift1(k)), "measured": float(fs.getMeasuredShift1(k)),
        "found": bool(fs.getSpecFound(k)), "scatter": float(fs.getScatter(k)),
        "chiSquare": float(fs.getChiSq(k)), "ndf": int(fs.getNdf(k))} for k in sorted(spectra)}})
print(json.dumps(out))
`;
const dir = mkdtempSync(join(tmpdir(), "cos-findshift-"));
try {
  const cases = SHIFT_CASES.map((c) => ({
    name: c.name,
    initialOffset: c.initialOffset,
    inputs: caseInputs(c).map((s) => ({ ...s, spectrum: Array.from(s.spectrum), template: Array.from(s.template) })),
  }));
  const input = join(dir, "cases.json");
  writeFileSync(input, JSON.stringify(cases));
  const run = spawnSync(join(dirname(calcos), "python"), ["-c", PROGRAM, input, WCPTAB], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) {
    console.error(`cos-findshift-fingerprints: calcos' findshift1 exited ${run.status ?? run.signal}\n${run.stderr}`);
    process.exit(1);
  }
  const record = {
    program: "calcos 3.4.7 findshift1.Shift1 (numpy 1.24.2, Debian bookworm)",
    wcptab: "x2i1559gl_wcp.fits (G285M: XC_RANGE 57, no N_SIGMA column)",
    cases: JSON.parse(run.stdout),
  };
  writeFileSync(findshiftFingerprintPath, `${JSON.stringify(record, null, 1)}\n`);
  console.log(`wrote ${findshiftFingerprintPath}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

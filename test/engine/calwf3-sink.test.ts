/**
 * calwf3 on a simulated full-frame UVIS exposure with the simulator's sink map (src/sim/wfc3-sinks.ts):
 * with WF32D's steps OMIT the `_flt` keeps the DN after BLEVCORR and BIASCORR that SINK compared, so an
 * independent numpy oracle reads the SNKCFILE, EXPSTART and the `_flt` and derives the TRAP (1024) pixels
 * from the rules of calibration.md §4 / hstcal sink.c; the `_flt` must carry exactly those. Also: the
 * HISTORY line naming the SNKCFILE, and a missing SNKCFILE stops calwf3 with an error naming keyword and file.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { calwf3 } from "../../src/engine/wfc3/calwf3.js";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { PYTHON } from "../helpers/paths.js";

const out = mkdtempSync(join(tmpdir(), "calwf3-sink-"));
after(() => rmSync(out, { recursive: true, force: true }));

const ORACLE = `
import sys, json
import numpy as np
from astropy.io import fits
raw, flt, snk = sys.argv[1:4]
out = {}
with fits.open(raw) as r, fits.open(flt) as f, fits.open(snk) as s:
    expstart = r[0].header["EXPSTART"]
    for ver in (1, 2):
        m = s["SCI", ver].data.astype(np.float32)
        ny, nx = m.shape
        h = r["SCI", ver].header
        ltv1, ltv2 = int(round(h["LTV1"])), int(round(h["LTV2"]))
        sci = f["SCI", ver].data
        dq = f["DQ", ver].data
        fny, fnx = sci.shape
        middle = nx - fnx - 2 * ltv1
        def trimmed(x, y):
            right = x >= nx // 2
            tx = x - ltv1 - (middle if right else 0)
            ty = y - ltv2
            ok = 0 <= tx < fnx and 0 <= ty < fny and right == (tx >= fnx // 2)
            return (int(tx), int(ty)) if ok else None
        # readout at the bottom of imset 1 and at the top of imset 2: trails run away from it
        up = 1 if ver == 1 else -1
        expected = set()
        stats = {"active": 0, "later": 0, "trail_flagged": 0, "trail_skipped": 0, "below": 0}
        ys, xs = np.nonzero(m > 50000)
        for y, x in zip(ys.tolist(), xs.tolist()):
            if not expstart > m[y, x]:
                stats["later"] += 1
                continue
            stats["active"] += 1
            at = trimmed(x, y)
            signal = sci[at[1], at[0]]
            expected.add(at)
            b = y - up
            if 0 <= b < ny and m[b, x] < 0 and trimmed(x, b):
                expected.add(trimmed(x, b))
                stats["below"] += 1
            t = y + up
            while 0 <= t < ny and 1 <= m[t, x] < 1000:
                if signal <= m[t, x]:
                    stats["trail_flagged"] += 1
                    if trimmed(x, t):
                        expected.add(trimmed(x, t))
                else:
                    stats["trail_skipped"] += 1
                t += up
        fy, fx = np.nonzero(dq & 1024)
        out[ver] = {"expected": sorted(expected), "actual": sorted(zip(fx.tolist(), fy.tolist())), **stats}
print(json.dumps(out))
`;

interface OracleChip {
  expected: [number, number][];
  actual: [number, number][];
  active: number;
  later: number;
  trail_flagged: number;
  trail_skipped: number;
  below: number;
}

test("calwf3 UVIS: TRAP exactly where the sink map's rules put it, on both chips", async () => {
  const sim = simulateDataset({ dataset: "iabc07xyq", out, detector: "UVIS", seed: 5 });
  const raw = sim.exposures[0].raw;
  rewriteHeaders(raw, (h, hdu) => {
    if (hdu.index !== 0) return;
    for (const sw of ["DARKCORR", "FLATCORR", "SHADCORR", "PHOTCORR", "FLUXCORR", "CRCORR"]) h.set(sw, "OMIT");
  });
  const env = { iref: `${sim.referenceDir}/` };
  const result = await calwf3([raw], { dir: out, env, log: () => {} });
  assert.deepEqual(result.outputs, ["iabc07xyq_flt.fits"]);
  const flt = join(out, "iabc07xyq_flt.fits");
  const primary = FitsFile.open(flt);
  const snkName = String(primary.hdus[0].header.get("SNKCFILE")).replace("iref$", "");
  const history = primary.hdus[0].header.cards
    .filter((c) => c.keyword === "HISTORY")
    .map((c) => String(c.value ?? c.comment));
  primary.close();
  const step = history.indexOf("Sink pixel flagging complete ...");
  assert.ok(step > history.indexOf("BIASCORR complete ..."), "HISTORY: the sink step after BIASCORR");
  assert.equal(history[step + 1], `  reference image iref$${snkName}`);
  assert.match(readFileSync(join(out, "iabc07xyq.tra"), "utf8"), /Sink pixels newly flagged \(1024\): imset 1: \d+/);

  const json = execFileSync(PYTHON, ["-c", ORACLE, raw, flt, join(sim.referenceDir, snkName)], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const chips = JSON.parse(json) as Record<string, OracleChip>;
  for (const ver of ["1", "2"]) {
    const c = chips[ver];
    assert.ok(
      c.active > 5 && c.later > 5,
      `imset ${ver}: sinks both before and after EXPSTART (${c.active}, ${c.later})`,
    );
    assert.ok(c.below > 0 && c.trail_flagged > 0 && c.trail_skipped > 0, `imset ${ver}: every rule exercised`);
    assert.deepEqual(c.actual, c.expected, `imset ${ver}: TRAP pixels`);
  }

  rmSync(join(sim.referenceDir, snkName));
  await assert.rejects(
    calwf3([raw], { dir: out, env, log: () => {} }),
    (e: Error) => e.message.includes("SNKCFILE") && e.message.includes(snkName) && /does not exist/.test(e.message),
    "a missing SNKCFILE stops calwf3 with an error naming the keyword and the file",
  );
});

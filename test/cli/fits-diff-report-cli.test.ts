// caldp fits diff's text report against astropy's fitsdiff on pairs of real files: line for line, but for
// fitsdiff's version line and difflib's `?` marker lines (caldp prints neither).
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { astropyScript } from "../helpers/astropy.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { HST_DATA } from "../helpers/paths.js";

const PAIRS = [
  ["j8bt05njq_raw.fits", "j4d1435jj_bpx.fits"], // an image file against a table file: headers, HDU counts
  ["0461802ej_idc.fits", "v8q14451j_idc.fits"], // binary tables: extra columns with their TFORMs, rows
  ["02c1450oj_d2i.fits", "02c1450rj_npl.fits"], // float32 images
  ["x2i1559gl_wcp.fits", "y951738kl_hv.fits"],
  ["z1q2219el_2zx.fits", "z1r1943el_1dx.fits"], // extensions without EXTNAME
  ["labq01hzq_lampflash.fits", "16j16005o_apd.fits"], // HISTORY and COMMENT cards with quotes
  ["o4er06llq_raw.fits", "ocmv0lw6q_raw.fits"], // STIS raws: image dimensions differ
  // record-valued D2IMn cards, int16 against float32 pixels with their types, HDRLET extensions byte by byte
  ["sample_ipppssoot_flt.fits", "sample_ipppssoot_flc.fits"],
  ["sample_flc_header.fits", "sample_ipppssoot_flt.fits"], // a 0 x 1 image against 10 x 10
  ["hst_acs_biasfile_0001.fits", "j8bt09jcq_raw.fits"], // header values of different types: (str) a> / (float) b>
];

function withoutMarkers(report: string): string[] {
  return report
    .split("\n")
    .filter((l) => !/^ *\? /.test(l) && !l.startsWith(" fitsdiff: ") && !l.startsWith(" caldp fits diff"));
}

test("fits diff prints fitsdiff's report for real files, and its exit status", async () => {
  await Promise.all(
    PAIRS.map(async ([x, y]) => {
      const [a, b] = [join(HST_DATA, x), join(HST_DATA, y)];
      const ours = await runCliAsync("caldp", ["fits", "diff", a, b]);
      const theirs = astropyScript("fitsdiff", [a, b]);
      assert.equal(ours.status, theirs.status, `${x} ${y}: ${ours.stderr}`);
      assert.deepEqual(withoutMarkers(ours.stdout), withoutMarkers(theirs.stdout), `${x} ${y}`);
    }),
  );
});

test("fits diff --exact and -n N print fitsdiff's report; -q only its exit status", async () => {
  const runs = [
    ["--exact", "sample_ipppssoot_flt.fits", "sample_ipppssoot_flc.fits"],
    ["--exact", "02c1450oj_d2i.fits", "02c1450rj_npl.fits"],
    ["-n 2 --exact", "02c1450oj_d2i.fits", "02c1450rj_npl.fits"],
    ["-q", "02c1450oj_d2i.fits", "02c1450rj_npl.fits"],
    ["-q", "02c1450oj_d2i.fits", "02c1450oj_d2i.fits"],
  ];
  await Promise.all(
    runs.map(async ([options, x, y]) => {
      const args = [...options.split(" "), join(HST_DATA, x), join(HST_DATA, y)];
      const ours = await runCliAsync("caldp", ["fits", "diff", ...args]);
      const theirs = astropyScript("fitsdiff", args);
      assert.equal(ours.status, theirs.status, `${options} ${x} ${y}: ${ours.stderr}`);
      assert.deepEqual(withoutMarkers(ours.stdout), withoutMarkers(theirs.stdout), `${options} ${x} ${y}`);
      if (options === "-q") assert.equal(ours.stdout, "");
    }),
  );
});

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { HST_DATA, PYTHON, REPO } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-fits-diff-"));

/** A copy of a real file changed by astropy (`edit` is Python run with `h`, the HDUList opened for update). */
function modified(name: string, copy: string, edit: string): string {
  const path = join(dir, copy);
  copyFileSync(join(HST_DATA, name), path);
  const code = `import sys, numpy as np\nfrom astropy.io import fits\nwith fits.open(sys.argv[1], mode="update") as h:\n${edit
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n")}`;
  execFileSync(PYTHON, ["-c", code, path], { stdio: ["ignore", "ignore", "inherit"] });
  return path;
}

interface Oracle {
  identical: boolean;
  hduCount: [number, number] | null;
  hdus: { index: number; header: Record<string, unknown>; data: Record<string, unknown> | null }[];
}

/** What FITSDiff finds (test/peers/fitsdiff_report.py), in the shape below. */
function oracle(a: string, b: string, options: Record<string, unknown>): Oracle {
  const script = join(REPO, "test", "peers", "fitsdiff_report.py");
  return JSON.parse(execFileSync(PYTHON, [script, JSON.stringify(options), a, b], { encoding: "utf8" }));
}

// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON, reduced to what the oracle reports
function reduce(ours: any): Oracle {
  const pairs = (list: { keyword: string; occurrence: number }[]) =>
    list.map((d) => [d.keyword, d.occurrence]).sort((x, y) => String(x).localeCompare(String(y)));
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const data = (d: any) => {
    if (!d) return null;
    if (d.kind === "table") {
      const identical =
        !d.columnCount && !d.onlyInA.length && !d.onlyInB.length && !d.attributes.length && !d.rows && !d.total;
      if (identical) return null;
      // biome-ignore lint/suspicious/noExplicitAny: as above
      const first = d.first.map((f: any) => [f.column, f.row]);
      // biome-ignore lint/suspicious/noExplicitAny: as above
      const names = (list: any[]) => list.map((c) => c.name);
      return {
        kind: "table",
        rows: d.rows ?? null,
        onlyInA: names(d.onlyInA),
        onlyInB: names(d.onlyInB),
        total: d.total,
        first,
      };
    }
    if (!d.dimensions && d.total === 0) return null;
    // biome-ignore lint/suspicious/noExplicitAny: as above
    return { kind: d.kind, dimensions: d.dimensions ?? null, total: d.total, first: d.first.map((f: any) => f.at) };
  };
  return {
    identical: ours.identical,
    hduCount: ours.hduCount ?? null,
    // biome-ignore lint/suspicious/noExplicitAny: as above
    hdus: ours.hdus.map((h: any) => ({
      index: h.index,
      header: {
        // biome-ignore lint/suspicious/noExplicitAny: as above
        onlyInA: h.header.onlyInA.map((x: any) => x.keyword),
        // biome-ignore lint/suspicious/noExplicitAny: as above
        onlyInB: h.header.onlyInB.map((x: any) => x.keyword),
        // biome-ignore lint/suspicious/noExplicitAny: as above
        repeats: h.header.repeats.map((r: any) => r.keyword).sort(),
        values: pairs(h.header.values),
        comments: pairs(h.header.comments),
      },
      data: data(h.data),
    })),
  };
}

function compare(a: string, b: string, args: string[], options: Record<string, unknown>): Oracle {
  const result = runCli("caldp", ["fits", "diff", "--json", ...args, a, b]);
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  const expected = oracle(a, b, options);
  const ours = reduce(JSON.parse(result.stdout));
  const sortPairs = (o: Oracle) => {
    for (const h of o.hdus) {
      for (const k of ["values", "comments"]) {
        (h.header[k] as [string, number][]).sort((x, y) => String(x).localeCompare(String(y)));
      }
    }
    return o;
  };
  assert.deepEqual(sortPairs(ours), sortPairs(expected), `${a} ${b} ${args.join(" ")}`);
  assert.equal(result.status, expected.identical ? 0 : 1);
  return expected;
}

test("fits diff: a copy is identical (exit 0, 'No differences found.'); two real exposures differ as fitsdiff says", () => {
  const copy = join(dir, "copy_raw.fits");
  copyFileSync(join(HST_DATA, "j8bt05njq_raw.fits"), copy);
  const same = runCli("caldp", ["fits", "diff", join(HST_DATA, "j8bt05njq_raw.fits"), copy]);
  assert.equal(same.status, 0, same.stderr);
  assert.match(same.stdout, /\nNo differences found\.\n$/);
  const a = join(HST_DATA, "j8bt05njq_raw.fits");
  const b = join(HST_DATA, "j8bt06o6q_raw.fits");
  const found = compare(a, b, [], {});
  assert.equal(found.hdus[1].data?.total, 1095509);
  compare(a, b, ["-k", "ROOTNAME,CD*", "-k", "EXPNAME", "-n", "3"], {
    ignore_keywords: ["ROOTNAME", "CD*", "EXPNAME"],
    numdiffs: 3,
  });
  const text = runCli("caldp", ["fits", "diff", "-n", "2", a, b]);
  assert.equal(text.status, 1);
  assert.ok(text.stdout.includes("     Keyword FILTER1  has different values:\n        a> F555W\n        b> F606W\n"));
  assert.ok(text.stdout.includes("     Keyword POSTARG1 has different values:\n        a> 12.0\n        b> -12.0\n"));
  assert.ok(text.stdout.includes("Extension HDU 1 (SCI, 1):"));
  assert.match(text.stdout, /Data differs at \[1, 1\]:\n {8}a> \d+\n {8}b> \d+\n/);
  assert.ok(text.stdout.includes("     1095509 different pixels found (98.81% different).\n"));
});

test("fits diff: header edits, ignore lists with wildcards, integer pixels (BZERO uint16) changed", () => {
  const a = join(HST_DATA, "j8bt05njq_raw.fits");
  const b = modified(
    "j8bt05njq_raw.fits",
    "edited_raw.fits",
    `
h[0].header["FILTER1"] = "F814W"
h[0].header["NEWKEY"] = (1.5, "added")
del h[0].header["PROPOSID"]
h[0].header.add_history("one more line")
h[0].header.comments["FILTER2"] = "another comment"
h[1].header["DATE"] = "2030-01-01"
d = h[1].data
d[5, 7] += 3
d[1000, 1] += 1
`,
  );
  compare(a, b, [], {});
  compare(a, b, ["-k", "FILTER*,NEW*", "-c", "filter2"], {
    ignore_keywords: ["FILTER*", "NEW*"],
    ignore_comments: ["FILTER2"],
  });
  // Known difference: fitsdiff counts the cards of ignored keywords too, so with -k '*' it still reports the
  // primary HDU ("different number of cards", 169 and 170, and nothing else); caldp counts the compared cards.
  const pixels = runCli("caldp", ["fits", "diff", "-k", "*", a, b]).stdout;
  assert.ok(!pixels.includes("Primary HDU:"), pixels);
  assert.ok(pixels.includes("Data differs at [8, 6]:"), pixels);
  assert.ok(pixels.includes("Data differs at [2, 1001]:"), pixels);
});

test("fits diff: float images within and beyond --rtol/--atol; --ignore-hdus", () => {
  const a = join(HST_DATA, "02c1450oj_d2i.fits");
  const b = modified(
    "02c1450oj_d2i.fits",
    "noisy_d2i.fits",
    `
d = h[1].data
d[0, 0] = d[0, 0] * (1 + 1e-7) + 1e-9
d[3, 4] = d[3, 4] + 0.5
d[31, 63] = np.nan
h[3].data[2, 2] = 7.0
`,
  );
  const exact = compare(a, b, [], {});
  assert.equal(exact.hdus.find((h) => h.index === 1)?.data?.total, 3);
  const tolerant = compare(a, b, ["--rtol", "1e-5"], { rtol: 1e-5 });
  assert.equal(tolerant.hdus.find((h) => h.index === 1)?.data?.total, 2);
  compare(a, b, ["--atol", "0.6"], { atol: 0.6 });
  compare(a, b, ["-u", "DX"], { ignore_hdus: ["DX"] });
});

test("fits diff: tables column by column (changed values, a removed column, fewer rows)", () => {
  const a = join(HST_DATA, "0461802ej_idc.fits");
  const changed = modified(
    "0461802ej_idc.fits",
    "changed_idc.fits",
    `
t = h[1].data
t["CX10"][3] += 1e-3
t["CX10"][9] += 1e-12
t["DETCHIP"][0] += 1
t["FILTER1"][5] = "XX"
`,
  );
  compare(a, changed, [], {});
  compare(a, changed, ["-r", "1e-9", "-f", "detchip"], { rtol: 1e-9, ignore_fields: ["DETCHIP"] });
  const fewer = modified(
    "0461802ej_idc.fits",
    "fewer_idc.fits",
    `h[1] = fits.BinTableHDU(h[1].data[:600], h[1].header)`,
  );
  compare(a, fewer, [], {});
  const dropped = modified(
    "0461802ej_idc.fits",
    "dropped_idc.fits",
    `
cols = [c for c in h[1].columns if c.name != "CY10"]
h[1] = fits.BinTableHDU.from_columns(cols, header=h[1].header)
`,
  );
  compare(a, dropped, [], {});
  const bpx = modified("j4d1435jj_bpx.fits", "changed_bpx.fits", `h[1].data["PIX1"][7] += 2`);
  compare(join(HST_DATA, "j4d1435jj_bpx.fits"), bpx, [], {});
});

test("fits diff: a missing HDU, non-standard HDUs compared byte by byte, a missing file is exit 2", () => {
  const a = join(HST_DATA, "sample_ipppssoot_flt.fits");
  const shorter = modified("sample_ipppssoot_flt.fits", "short_flt.fits", "del h[-1]");
  compare(a, shorter, [], {});
  const flc = compare(a, join(HST_DATA, "sample_ipppssoot_flc.fits"), ["-n", "3"], { numdiffs: 3 });
  assert.ok(
    flc.hdus.some((h) => h.data?.kind === "raw"),
    "HDRLET data compared",
  );
  const missing = runCli("caldp", ["fits", "diff", a, join(dir, "nope.fits")]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^caldp fits diff: .*nope\.fits: cannot open: ENOENT/);
  const bad = runCli("caldp", ["fits", "diff", "--rtol", "lots", a, a]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--rtol lots: not a number/);
});

test("fits diff -q, -o: exit status only; the report written whole under a temporary name, inputs untouched", () => {
  const a = join(HST_DATA, "j8bt05njq_raw.fits");
  const b = join(HST_DATA, "j8bt06o6q_raw.fits");
  const before = statSync(a).mtimeMs;
  const quiet = runCli("caldp", ["fits", "diff", "-q", a, b]);
  assert.deepEqual([quiet.status, quiet.stdout, quiet.stderr], [1, "", ""]);
  const out = join(dir, "report.txt");
  const written = runCli("caldp", ["fits", "diff", "-o", out, "--ignore-volatile", a, b]);
  assert.equal(written.status, 1);
  assert.equal(written.stdout, "");
  const report = readFileSync(out, "utf8");
  assert.match(report, / Keyword\(s\) not to be compared:\n {2}CAL_VER CHECKSUM DATASUM DATE IRAF-TLM PROCTIME\n/);
  assert.ok(!report.includes("Keyword PROCTIME"));
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes("caldp-tmp")),
    [],
  );
  assert.equal(statSync(a).mtimeMs, before);
  const unwritable = runCli("caldp", ["fits", "diff", "-o", join(dir, "missing", "report.txt"), a, b]);
  assert.equal(unwritable.status, 2);
  assert.equal(
    unwritable.stderr,
    `caldp fits diff: cannot write the report ${join(dir, "missing", "report.txt")}: ENOENT\n`,
  );
});

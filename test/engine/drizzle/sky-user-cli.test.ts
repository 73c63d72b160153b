/**
 * `caldp drizzle`'s sky options as a user runs them (a real subprocess) on copies of the real ACS/HRC flt: skyuser
 * and skyfile values recorded as MDRIZSKY, skymatch's fallback when matching fails (a chip whose distortion has no
 * inverse where the images overlap: localmin, with AstroDrizzle's warning), and bad input (a skyfile naming an
 * image not given, a line with the wrong number of values or a value that is not a number, a missing skyfile or
 * skyuser keyword): one line naming the file (and keyword), exit 24, nothing written, the inputs unchanged.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { pixToSky, readWcs } from "../../../src/wcs/index.js";
import { runCli } from "../../helpers/cli.js";

const HRC = "/usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits";
const skip = existsSync(HRC) ? false : "python-drizzle-testdata is not installed";
const dir = mkdtempSync(join(tmpdir(), "caldp-sky-user-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const ONLY_SKY = ["--driz-separate", "no", "--median", "no", "--blot", "no", "--driz-cr", "no"];
const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

/** Two overlapping exposures in a new folder: the HRC flt and a copy 2.5" north, SCI headers edited by `edit`. */
function pair(edit: (name: string, set: (k: string, v: number | string) => void) => void = () => {}): string[] {
  const folder = mkdtempSync(join(dir, "case-"));
  return ["j8bt06nyq_flt.fits", "j8bt06o0q_flt.fits"].map((name, n) => {
    const path = join(folder, name);
    copyFileSync(HRC, path);
    rewriteHeaders(path, (h, hdu) => {
      if (hdu.name !== "SCI") return;
      if (n === 1) {
        const wcs = readWcs(h);
        const [ra, dec] = pixToSky(wcs, wcs.crpix[0], wcs.crpix[1]);
        h.set("CRVAL1", ra, { float: true });
        h.set("CRVAL2", dec + 2.5 / 3600, { float: true });
      }
      edit(name, (k, v) => h.set(k, v));
    });
    return path;
  });
}

const folderOf = (path: string) => path.slice(0, path.lastIndexOf("/"));

function mdrizsky(path: string): unknown {
  const file = FitsFile.open(path);
  try {
    return file.hdus.find((h) => h.name === "SCI")?.header.get("MDRIZSKY");
  } finally {
    file.close();
  }
}

function failsCleanly(args: string[], inputs: string[], pattern: RegExp): void {
  const folder = folderOf(inputs[0]);
  const before = readdirSync(folder).sort();
  const sums = inputs.map(sha1);
  const run = runCli("caldp", ["drizzle", ...ONLY_SKY, ...args, ...inputs]);
  assert.equal(run.status, 24, run.stderr);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], pattern);
  assert.deepEqual(readdirSync(folder).sort(), before, "nothing written, nothing left behind");
  assert.deepEqual(inputs.map(sha1), sums, "the inputs are unchanged");
}

test("skysub off, skyuser USRSKY: MDRIZSKY of each flagged copy is its USRSKY; the inputs unchanged", { skip }, () => {
  const inputs = pair((name, set) => set("USRSKY", name.startsWith("j8bt06nyq") ? 12.5 : 40.25));
  const flagged = join(folderOf(inputs[0]), "flagged");
  mkdirSync(flagged);
  const sums = inputs.map(sha1);
  const args = ["drizzle", "--skysub", "no", "--skyuser", "USRSKY", "--flagged-dir", flagged, ...inputs];
  const run = runCli("caldp", args);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(inputs.map(sha1), sums);
  assert.equal(mdrizsky(join(flagged, "j8bt06nyq_flt.fits")), 12.5);
  assert.equal(mdrizsky(join(flagged, "j8bt06o0q_flt.fits")), 40.25);
});

test("a skyfile: its values subtracted (the drz differs from skysub off by them), a file without a line warned", {
  skip,
}, () => {
  const inputs = pair();
  const folder = folderOf(inputs[0]);
  const skyfile = join(folder, "sky.txt");
  writeFileSync(skyfile, "# my skies\nj8bt06nyq_flt.fits 20\n");
  const withFile = runCli("caldp", [
    "drizzle",
    ...ONLY_SKY,
    "--skyfile",
    skyfile,
    "--output",
    join(folder, "a"),
    ...inputs,
  ]);
  assert.equal(withFile.status, 0, withFile.stderr);
  assert.match(withFile.stderr, /WARNING: .*j8bt06o0q_flt\.fits: no sky value in .*sky\.txt/);
  const off = runCli("caldp", ["drizzle", ...ONLY_SKY, "--skysub", "no", "--output", join(folder, "b"), ...inputs]);
  assert.equal(off.status, 0, off.stderr);
  const sci = (p: string) => {
    const f = FitsFile.open(p);
    try {
      return f.readImage("SCI").data as Float32Array;
    } finally {
      f.close();
    }
  };
  const [a, b] = [sci(join(folder, "a_drz.fits")), sci(join(folder, "b_drz.fits"))];
  // counts per second: where only the first exposure lands, b − a = 20 / EXPTIME; where both do, less
  const header = FitsFile.open(HRC);
  const step = 20 / header.hdus[0].header.getNumber("EXPTIME");
  header.close();
  let compared = 0;
  for (let k = 0; k < a.length; k++) {
    if (!Number.isFinite(a[k]) || !Number.isFinite(b[k])) continue;
    const d = b[k] - a[k];
    // float32 rounding of both pixels
    const tol = 1e-3 * step + 5e-7 * Math.max(Math.abs(a[k]), Math.abs(b[k]));
    assert.ok(d > -tol && d < step + tol, `pixel ${k}: ${d} (sky step ${step})`);
    if (Math.abs(d - step) < tol) compared++;
  }
  assert.ok(compared > 1000, `${compared} pixels differ`);
});

test("skymethod match on a chip whose distortion cannot be inverted: localmin instead (globalmin+match: globalmin), warned", {
  skip,
}, () => {
  const inputs = pair((name, set) => {
    if (!name.startsWith("j8bt06o0q")) return;
    for (const [k, v] of Object.entries({ CTYPE1: "RA---TAN-SIP", CTYPE2: "DEC--TAN-SIP", A_ORDER: 2, B_ORDER: 2 }))
      set(k, v);
    set("A_2_0", 3e-3);
    set("B_0_2", 3e-3);
  });
  const folder = folderOf(inputs[0]);
  const run = (method: string, out: string) =>
    runCli("caldp", ["drizzle", ...ONLY_SKY, "--skymethod", method, "--output", join(folder, out), ...inputs]);
  const match = run("match", "m");
  assert.equal(match.status, 0, match.stderr);
  assert.match(match.stderr, /WARNING: Reverting sky computation to "localmin" from "match" \(.*inverse distortion/);
  const local = run("localmin", "l");
  assert.equal(local.status, 0, local.stderr);
  assert.doesNotMatch(local.stderr, /Reverting/);
  const data = (p: string) => {
    const f = FitsFile.open(p);
    try {
      return Buffer.from((f.readImage("SCI").data as Float32Array).buffer);
    } finally {
      f.close();
    }
  };
  assert.ok(data(join(folder, "m_drz.fits")).equals(data(join(folder, "l_drz.fits"))), "the same sky as localmin");
  const globalMatch = run("globalmin+match", "g");
  assert.equal(globalMatch.status, 0, globalMatch.stderr);
  assert.match(globalMatch.stderr, /WARNING: Reverting sky computation to "globalmin" from "globalmin\+match" \(/);
});

test("bad skyfile: an image not given, the wrong number of values, not a number, no such file", { skip }, () => {
  const inputs = pair();
  const skyfile = join(folderOf(inputs[0]), "sky.txt");
  writeFileSync(skyfile, "j8bt06nyq_flt.fits 20\nj8zz99zzq_flt.fits 3\n");
  failsCleanly(
    ["--skyfile", skyfile],
    inputs,
    /sky\.txt: keyword skyfile: line 2: j8zz99zzq_flt\.fits is not an input/,
  );
  failsCleanly(["--skysub", "no", "--skyuser", `@${skyfile}`], inputs, /keyword skyuser: line 2: j8zz99zzq/);
  writeFileSync(skyfile, "j8bt06nyq_flt.fits 20 30\n");
  failsCleanly(["--skyfile", skyfile], inputs, /sky\.txt: line 1: j8bt06nyq_flt\.fits has 2 sky values for 1 SCI chip/);
  writeFileSync(skyfile, "j8bt06nyq_flt.fits twenty\n");
  failsCleanly(["--skyfile", skyfile], inputs, /sky\.txt: line 1: sky value 'twenty' is not a number/);
  writeFileSync(skyfile, "j8bt06nyq_flt.fits\n");
  failsCleanly(["--skyfile", skyfile], inputs, /sky\.txt: line 1: j8bt06nyq_flt\.fits has no sky value/);
  failsCleanly(["--skyfile", `${skyfile}.missing`], inputs, /sky\.txt\.missing: keyword skyfile: no such file/);
});

test("skysub off with a skyuser keyword that a chip lacks: the file, chip and keyword named", { skip }, () => {
  const inputs = pair((name, set) => {
    if (name.startsWith("j8bt06nyq")) set("USRSKY", 10);
  });
  failsCleanly(
    ["--skysub", "no", "--skyuser", "USRSKY"],
    inputs,
    /j8bt06o0q_flt\.fits\[SCI,1\]: keyword USRSKY: missing/,
  );
});

test("a skyfile with skysub off, or a skyuser keyword with skysub on, is not read (as AstroDrizzle)", { skip }, () => {
  const inputs = pair();
  const folder = folderOf(inputs[0]);
  const missing = join(folder, "no-such-sky.txt");
  for (const [args, out] of [
    [["--skysub", "no", "--skyfile", missing], "a"],
    [["--skyuser", "NOSUCHKW"], "b"],
  ] as const) {
    const run = runCli("caldp", ["drizzle", ...ONLY_SKY, ...args, "--output", join(folder, out), ...inputs]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(join(folder, `${out}_drz.fits`)));
  }
});

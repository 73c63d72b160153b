// A reference keyword that resolves to nothing (N/A where CRDS selected no file, a missing file, an unset
// $jref) is one error line naming the raw file, the keyword and the cause; the raw is left as it was.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { resolveReferenceNames } from "../../src/engine/program-files.js";
import { requireReference } from "../../src/engine/reference-files.js";
import { FitsFile, Header, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-reference-errors-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateDataset({ dataset: "j8cb01a1q", out: join(dir, "sim"), detector: "HRC", seed: 3 });
const env = { jref: `${sim.referenceDir}/` };

/** A copy of the simulated raw with one primary keyword set, in its own folder. */
function rawWith(name: string, keyword: string, value: string): string {
  const folder = mkdtempSync(join(dir, `${name}-`));
  const raw = join(folder, "j8cb01a1q_raw.fits");
  copyFileSync(sim.exposures[0].raw, raw);
  rewriteHeaders(raw, (h, hdu) => {
    if (hdu.index === 0) h.set(keyword, value);
  });
  return raw;
}

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

async function calacsFails(raw: string, environment: NodeJS.ProcessEnv): Promise<string> {
  const before = sha(raw);
  const r = await runCliAsync("caldp", ["calacs", raw], { env: environment });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(sha(raw), before, "the raw is unchanged");
  assert.ok(!existsSync(raw.replace("_raw", "_flt")), "no flt");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  return lines[0];
}

test("CCDTAB = 'N/A' (CRDS selected nothing): the error line names the raw file and the keyword", async () => {
  const raw = rawWith("na", "CCDTAB", "N/A");
  const line = await calacsFails(raw, env);
  assert.equal(line, "caldp: j8cb01a1q_raw.fits: CCDTAB is needed but the header says 'N/A'");
});

test("a BIASFILE that does not exist and an unset $jref: each line names the raw file and the keyword", async () => {
  const missing = rawWith("missing", "BIASFILE", "jref$nothere_bia.fits");
  const line = await calacsFails(missing, env);
  assert.match(
    line,
    /^caldp: j8cb01a1q_raw\.fits: BIASFILE = 'jref\$nothere_bia\.fits': \S+nothere_bia\.fits does not exist$/,
  );
  const unset = rawWith("unset", "BIASFILE", "jref$x_bia.fits");
  const noJref = { ...process.env, jref: "" };
  const line2 = await calacsFails(unset, noJref);
  assert.match(line2, /^caldp: j8cb01a1q_raw\.fits: CCDTAB = 'jref\$\S+': environment variable jref is not set$/);
});

test("requireReference and resolveReferenceNames name the file a header was read from, else its FILENAME", () => {
  const raw = rawWith("direct", "DARKFILE", "N/A");
  const file = FitsFile.open(raw);
  const primary = file.hdus[0].header.clone();
  file.close();
  const fails = (f: () => unknown, message: string) =>
    assert.throws(
      f,
      (e: unknown) => e instanceof CalibrationError && e.code === "CAL_FILE_MISSING" && e.message === message,
    );
  const message = "j8cb01a1q_raw.fits: DARKFILE is needed but the header says 'N/A'";
  fails(() => requireReference(primary, "DARKFILE", env), message);
  fails(() => resolveReferenceNames(primary, ["BIASFILE", "DARKFILE"], () => false, env), message);
  assert.deepEqual(
    Object.keys(resolveReferenceNames(primary, ["BIASFILE", "DARKFILE"], (k) => k === "DARKFILE", env)),
    ["BIASFILE"],
  );
  const inMemory = new Header();
  inMemory.set("FILENAME", "j8cb01a1q_raw.fits");
  inMemory.set("FLSHFILE", "N/A");
  fails(
    () => requireReference(inMemory, "FLSHFILE", env),
    "j8cb01a1q_raw.fits: FLSHFILE is needed but the header says 'N/A'",
  );
});

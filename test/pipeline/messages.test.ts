import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseDataset } from "../../src/core/dataset.js";
import { Logger } from "../../src/core/log.js";
import { LocalStore } from "../../src/io/object-store.js";
import { DatasetMessages, finalOutcome } from "../../src/pipeline/messages.js";
import { formatTimeVerbose, type ResourceReport } from "../../src/pipeline/metrics.js";
import { listOutputFiles } from "../../src/pipeline/outputs.js";

const quiet = new Logger(undefined, () => {});

function workdir(): string {
  return mkdtempSync(join(tmpdir(), "caldp-msg-"));
}

test("init removes stale messages in messages/ (not in cwd); processing replaces submit", async () => {
  const cwd = workdir();
  mkdirSync(join(cwd, "messages"));
  for (const n of [
    "error-j8cb010b0",
    "processing-j8cb010b0",
    "processed-j8cb010b0.trigger",
    "submit-j8cb010b0",
    "error-other",
  ]) {
    writeFileSync(join(cwd, "messages", n), "old");
  }
  writeFileSync(join(cwd, "error-j8cb010b0"), "not a message: a file in the working folder");
  const messages = new DatasetMessages("j8cb010b0", [new LocalStore(cwd)], quiet);
  await messages.init();
  assert.deepEqual(readdirSync(join(cwd, "messages")).sort(), ["error-other", "submit-j8cb010b0"]);
  assert.ok(existsSync(join(cwd, "error-j8cb010b0")));
  await messages.processing();
  assert.deepEqual(readdirSync(join(cwd, "messages")).sort(), ["error-other", "processing-j8cb010b0"]);
  assert.equal(readFileSync(join(cwd, "messages", "processing-j8cb010b0"), "utf8"), "processing-j8cb010b0\n");
});

test("processed trigger for file: output lists the products relative to the output folder", async () => {
  const cwd = workdir();
  const out = join(cwd, "outputs");
  mkdirSync(join(out, "j8cb010b0", "previews"), { recursive: true });
  mkdirSync(join(out, "j8cb010b0", "env"));
  for (const n of ["j8cb010b0_drz.fits", "j8cb01u2q_flt.fits", "j8cb01u2q.tra", "j8cb010b0_cal_env.txt"]) {
    writeFileSync(join(out, "j8cb010b0", n), "x");
  }
  writeFileSync(join(out, "j8cb010b0", "previews", "j8cb010b0_drz.jpg"), "x");
  const files = listOutputFiles(out, parseDataset("j8cb010b0"));
  assert.deepEqual(files, [
    "j8cb010b0/j8cb010b0_drz.fits",
    "j8cb010b0/j8cb01u2q_flt.fits",
    "j8cb010b0/j8cb01u2q.tra",
    "j8cb010b0/previews/j8cb010b0_drz.jpg",
  ]);
  const messages = new DatasetMessages("j8cb010b0", [new LocalStore(cwd)], quiet);
  await messages.init();
  await messages.processing();
  assert.equal(await messages.final("processed", { files }), "processed-j8cb010b0.trigger");
  assert.deepEqual(readdirSync(join(cwd, "messages")), ["processed-j8cb010b0.trigger"]);
  assert.equal(
    readFileSync(join(cwd, "messages", "processed-j8cb010b0.trigger"), "utf8"),
    `processed-j8cb010b0.trigger\n${files.join("\n")}\n`,
  );
});

test("error message for s3: output holds only the tarball URI, no newline", async () => {
  const cwd = workdir();
  const messages = new DatasetMessages("acs_8ph_01", [new LocalStore(cwd)], quiet);
  await messages.processing();
  const uri = "s3://calcloud-processing/outputs/acs_8ph_01/acs_8ph_01.tar.gz";
  assert.equal(await messages.final("error", { tarballUri: uri }), "error-acs_8ph_01");
  assert.equal(readFileSync(join(cwd, "messages", "error-acs_8ph_01"), "utf8"), uri);
  assert.deepEqual(await new LocalStore(cwd).list("messages/"), ["messages/error-acs_8ph_01"]);
});

test("an error message for file: output ends with the reason (a signal); a processed trigger never has one", async () => {
  const cwd = workdir();
  const messages = new DatasetMessages("j8cb010b0", [new LocalStore(cwd)], quiet);
  const reason = "EXIT - Killed by UNIX signal SIGTERM[15]: 'Termination (ANSI).'";
  await messages.final("error", { files: ["j8cb010b0/j8cb01a1q_raw.fits"] }, reason);
  assert.equal(
    readFileSync(join(cwd, "messages", "error-j8cb010b0"), "utf8"),
    `error-j8cb010b0\nj8cb010b0/j8cb01a1q_raw.fits\n${reason}\n`,
  );
  await messages.final("processed", { files: [] }, reason);
  assert.equal(
    readFileSync(join(cwd, "messages", "processed-j8cb010b0.trigger"), "utf8"),
    "processed-j8cb010b0.trigger\n",
  );
});

test("svm and mvm product patterns", () => {
  const out = workdir();
  mkdirSync(join(out, "acs_8ph_01"));
  for (const n of [
    "hst_9774_01_acs_wfc_f814w_j8ph01_drc.fits",
    "hst_9774_01_acs_wfc_total_j8ph01_point-cat.ecsv",
    "acs_8ph_01_manifest.txt",
    "astrodrizzle.log",
    "j8ph01g0q_flc.fits",
  ]) {
    writeFileSync(join(out, "acs_8ph_01", n), "x");
  }
  assert.deepEqual(listOutputFiles(out, parseDataset("acs_8ph_01")), [
    "acs_8ph_01/hst_9774_01_acs_wfc_f814w_j8ph01_drc.fits",
    "acs_8ph_01/hst_9774_01_acs_wfc_total_j8ph01_point-cat.ecsv",
    "acs_8ph_01/acs_8ph_01_manifest.txt",
    "acs_8ph_01/astrodrizzle.log",
  ]);
  assert.deepEqual(listOutputFiles(out, parseDataset("skycell-p2381x06y09")), []);
});

test("finalOutcome uses the whole exit status: 40 is an error (CALDP's last digit said 0), a missing file too", () => {
  const report = (exitStatus: number): string =>
    formatTimeVerbose({
      command: "c",
      userSeconds: 0,
      systemSeconds: 0,
      elapsedSeconds: 1,
      maxRssKb: 1,
      majorFaults: 0,
      minorFaults: 0,
      voluntarySwitches: 0,
      involuntarySwitches: 0,
      swaps: 0,
      fsInputs: 0,
      fsOutputs: 0,
      socketSent: 0,
      socketReceived: 0,
      signalsDelivered: 0,
      pageSize: 4096,
      exitStatus,
    } satisfies ResourceReport);
  assert.equal(finalOutcome(report(0), report(0)), "processed");
  assert.equal(finalOutcome(report(40), report(0)), "error");
  assert.equal(finalOutcome(report(0), report(23)), "error");
  assert.equal(finalOutcome(report(0), undefined), "error");
});

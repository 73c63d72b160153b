import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseDataset } from "../../src/core/dataset.js";
import { IoError } from "../../src/io/errors.js";
import { prepareFileInputs } from "../../src/io/file-input.js";
import { makeTarGz } from "../../src/io/tar.js";
import { exitCodeOf } from "../../src/pipeline/error-exits.js";

const j8cb = parseDataset("j8cb010b0");

async function inputsDir(files: Record<string, string>, tarred: string[] = []): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "caldp-input-"));
  const inputs = join(root, "inputs");
  const staging = join(root, "staging");
  mkdirSync(inputs);
  mkdirSync(staging);
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(tarred.includes(name) ? staging : inputs, name), text);
  if (tarred.length) await makeTarGz(staging, tarred, join(inputs, "j8cb010b0.tar.gz"));
  return root;
}

async function fails(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (e) => e instanceof IoError && exitCodeOf(e) === 21 && pattern.test(e.message));
}

/** The names and contents of a folder's files. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n), "latin1")]));
}

test("file: with one <ds5>*.tar.gz: extracted into the work folder with the cal env; the input folder untouched", async () => {
  const root = await inputsDir(
    { "j8cb01u3q_raw.fits": "b", "j8cb010b0_asn.fits": "a", "j8cb010b0_cal_env.txt": "K=V\n" },
    ["j8cb01u3q_raw.fits", "j8cb010b0_asn.fits"],
  );
  const before = snapshot(join(root, "inputs"));
  const work = join(root, "scratch", "j8cb010b0");
  const got = await prepareFileInputs("file:inputs", j8cb, root, work);
  assert.equal(got.dir, work);
  assert.equal(got.tarball, join(root, "inputs", "j8cb010b0.tar.gz"));
  assert.deepEqual(got.files, [join(work, "j8cb010b0_asn.fits"), join(work, "j8cb01u3q_raw.fits")]);
  assert.deepEqual(readdirSync(work).sort(), ["j8cb010b0_asn.fits", "j8cb010b0_cal_env.txt", "j8cb01u3q_raw.fits"]);
  assert.deepEqual(snapshot(join(root, "inputs")), before);
});

test("our extension: loose <ds5>*.fits without a tarball, copied (writable) into the work folder", async () => {
  const root = await inputsDir({ "j8cb01u3q_raw.fits": "b", "other.fits": "x" });
  chmodSync(join(root, "inputs", "j8cb01u3q_raw.fits"), 0o444);
  const work = join(root, "work");
  const got = await prepareFileInputs(`file:${join(root, "inputs")}`, j8cb, "/", work);
  assert.equal(got.tarball, undefined);
  assert.deepEqual(got.files, [join(work, "j8cb01u3q_raw.fits")]);
  assert.equal(readFileSync(got.files[0], "utf8"), "b");
  assert.equal(statSync(got.files[0]).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(join(root, "inputs")).sort(), ["j8cb01u3q_raw.fits", "other.fits"]);
});

test("a FIFO, a socket-like special file or a directory among the inputs: 21 naming it, never opened", async () => {
  const root = await inputsDir({ "j8cb01u3q_raw.fits": "b" });
  execFileSync("mkfifo", [join(root, "inputs", "j8cb01u4q_raw.fits")]);
  await fails(
    prepareFileInputs("file:inputs", j8cb, root, join(root, "work")),
    /Input .*j8cb01u4q_raw\.fits is a FIFO, not a regular file/,
  );
  const tarFifo = await inputsDir({});
  execFileSync("mkfifo", [join(tarFifo, "inputs", "j8cb010b0.tar.gz")]);
  await fails(
    prepareFileInputs("file:inputs", j8cb, tarFifo, join(tarFifo, "work")),
    /Input .*j8cb010b0\.tar\.gz is a FIFO/,
  );
  const withDir = await inputsDir({});
  mkdirSync(join(withDir, "inputs", "j8cb01u5q_raw.fits"));
  await fails(prepareFileInputs("file:inputs", j8cb, withDir, join(withDir, "work")), /is a directory/);
  const withDevice = await inputsDir({});
  symlinkSync("/dev/zero", join(withDevice, "inputs", "j8cb01u6q_raw.fits"));
  await fails(prepareFileInputs("file:inputs", j8cb, withDevice, join(withDevice, "work")), /is a device/);
});

test("two tarballs, none, a missing or non-folder dir: 21 with a message that says what was expected", async () => {
  const root = await inputsDir({ "j8cb010b0_asn.fits": "a" }, ["j8cb010b0_asn.fits"]);
  writeFileSync(join(root, "inputs", "j8cb01xyz.tar.gz"), "");
  await fails(
    prepareFileInputs("file:inputs", j8cb, root, join(root, "work")),
    /Too many tar files for j8cb010b0 in .*j8cb010b0\.tar\.gz, j8cb01xyz\.tar\.gz; expected exactly one j8cb0\*\.tar\.gz/,
  );
  const empty = await inputsDir({ "unrelated.fits": "x" });
  await fails(
    prepareFileInputs("file:inputs", j8cb, empty, join(empty, "work")),
    /No inputs for j8cb010b0 in .*no input tar files; expected exactly one j8cb0\*\.tar\.gz \(or loose j8cb0\*\.fits files\)/,
  );
  await fails(
    prepareFileInputs("file:nowhere", j8cb, empty, join(empty, "work")),
    /Input directory .*nowhere \(from file:nowhere\) does not exist/,
  );
  await fails(prepareFileInputs("file:inputs/unrelated.fits", j8cb, empty, join(empty, "work")), /is not a directory/);
});

test("svm/mvm need <ds>*.tar.gz holding <ds>_input.out; an unsafe tarball leaves the folder as it was", async () => {
  const root = mkdtempSync(join(tmpdir(), "caldp-input-"));
  const inputs = join(root, "inputs");
  mkdirSync(join(root, "stage"));
  mkdirSync(inputs);
  writeFileSync(join(root, "stage", "acs_8ph_01_input.out"), "j8ph01g0q_flc.fits,9774,8PH,01\n");
  await makeTarGz(join(root, "stage"), ["acs_8ph_01_input.out"], join(inputs, "acs_8ph_01.tar.gz"));
  const got = await prepareFileInputs("file:inputs", parseDataset("acs_8ph_01"), root, join(root, "w1"));
  assert.deepEqual(got.files, [join(root, "w1", "acs_8ph_01_input.out")]);
  await fails(
    prepareFileInputs("file:inputs", parseDataset("skycell-p2381x06y09"), root, join(root, "w2")),
    /expected exactly one skycell-p2381x06y09\*\.tar\.gz/,
  );
  writeFileSync(join(inputs, "j8cb010b0.tar.gz"), "truncated");
  const before = readdirSync(inputs).sort();
  await fails(
    prepareFileInputs("file:inputs", j8cb, root, join(root, "work")),
    /Cannot read tarball .*j8cb010b0\.tar\.gz/,
  );
  assert.deepEqual(readdirSync(inputs).sort(), before);
});

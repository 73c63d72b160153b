import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { prepareFileInputs } from "../../src/io/file-input.js";
import { makeTarGz } from "../../src/io/tar.js";
import { parseDataset } from "../../src/pipeline/dataset.js";
import { InputTarError } from "../../src/pipeline/errors.js";

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
  await assert.rejects(promise, (e) => e instanceof InputTarError && e.code === 21 && pattern.test(e.message));
}

test("file: with one <ds5>*.tar.gz: extracted in place, inputs are the sorted <ds5>*.fits", async () => {
  const root = await inputsDir(
    { "j8cb01u3q_raw.fits": "b", "j8cb010b0_asn.fits": "a", "j8cb010b0_cal_env.txt": "K=V\n" },
    ["j8cb01u3q_raw.fits", "j8cb010b0_asn.fits"],
  );
  const got = await prepareFileInputs("file:inputs", j8cb, root);
  assert.equal(got.dir, join(root, "inputs"));
  assert.equal(got.tarball, join(root, "inputs", "j8cb010b0.tar.gz"));
  assert.deepEqual(got.files, [join(got.dir, "j8cb010b0_asn.fits"), join(got.dir, "j8cb01u3q_raw.fits")]);
});

test("our extension: loose <ds5>*.fits without a tarball", async () => {
  const root = await inputsDir({ "j8cb01u3q_raw.fits": "b", "other.fits": "x" });
  const got = await prepareFileInputs(`file:${join(root, "inputs")}`, j8cb);
  assert.equal(got.tarball, undefined);
  assert.deepEqual(got.files, [join(root, "inputs", "j8cb01u3q_raw.fits")]);
});

test("two tarballs, none, a missing or non-folder dir: 21 with a message that says what was expected", async () => {
  const root = await inputsDir({ "j8cb010b0_asn.fits": "a" }, ["j8cb010b0_asn.fits"]);
  writeFileSync(join(root, "inputs", "j8cb01xyz.tar.gz"), "");
  await fails(
    prepareFileInputs("file:inputs", j8cb, root),
    /Too many tar files for j8cb010b0 in .*j8cb010b0\.tar\.gz, j8cb01xyz\.tar\.gz; expected exactly one j8cb0\*\.tar\.gz/,
  );
  const empty = await inputsDir({ "unrelated.fits": "x" });
  await fails(
    prepareFileInputs("file:inputs", j8cb, empty),
    /No inputs for j8cb010b0 in .*no input tar files; expected exactly one j8cb0\*\.tar\.gz \(or loose j8cb0\*\.fits files\)/,
  );
  await fails(
    prepareFileInputs("file:nowhere", j8cb, empty),
    /Input directory .*nowhere \(from file:nowhere\) does not exist/,
  );
  await fails(prepareFileInputs("file:inputs/unrelated.fits", j8cb, empty), /is not a directory/);
});

test("svm/mvm need <ds>*.tar.gz holding <ds>_input.out; an unsafe tarball leaves the folder as it was", async () => {
  const root = mkdtempSync(join(tmpdir(), "caldp-input-"));
  const inputs = join(root, "inputs");
  mkdirSync(join(root, "stage"));
  mkdirSync(inputs);
  writeFileSync(join(root, "stage", "acs_8ph_01_input.out"), "j8ph01g0q_flc.fits,9774,8PH,01\n");
  await makeTarGz(join(root, "stage"), ["acs_8ph_01_input.out"], join(inputs, "acs_8ph_01.tar.gz"));
  const got = await prepareFileInputs("file:inputs", parseDataset("acs_8ph_01"), root);
  assert.deepEqual(got.files, [join(inputs, "acs_8ph_01_input.out")]);
  await fails(
    prepareFileInputs("file:inputs", parseDataset("skycell-p2381x06y09"), root),
    /expected exactly one skycell-p2381x06y09\*\.tar\.gz/,
  );
  writeFileSync(join(inputs, "j8cb010b0.tar.gz"), "truncated");
  const before = readdirSync(inputs).sort();
  await fails(prepareFileInputs("file:inputs", j8cb, root), /Cannot read tarball .*j8cb010b0\.tar\.gz/);
  assert.deepEqual(readdirSync(inputs).sort(), before);
});

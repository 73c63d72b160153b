import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseDataset } from "../../src/core/dataset.js";
import { CmdlineError } from "../../src/core/errors.js";
import { loadConfig } from "../../src/pipeline/config.js";

test("the CALDP test datasets classify as in §3/§15", () => {
  for (const [name, instrument] of [
    ["j8cb010b0", "acs"],
    ["obes03010", "stis"],
    ["la8q99030", "cos"],
    ["ib8t01010", "wfc3"],
    ["IACS01T4Q", "wfc3"],
  ]) {
    const ds = parseDataset(name);
    assert.equal(ds.type, "ipst");
    assert.equal(ds.instrument, instrument);
    assert.equal(ds.ds5, name.toLowerCase().slice(0, 5));
  }
  assert.deepEqual(parseDataset("acs_8ph_01"), {
    name: "acs_8ph_01",
    type: "svm",
    instrument: "acs",
    ds5: "acs_8",
    obsSet: "j8ph01",
  });
  assert.equal(parseDataset("wfc3_ib1_0a").obsSet, "iib10a");
  assert.equal(parseDataset("skycell-p2381x06y09").type, "mvm");
});

test("a bad name is a command-line error that names the value and the accepted forms", () => {
  for (const bad of ["u2ab0101t", "j8cb010b", "j8cb010b00", "nic_8ph_01", "acs_8ph_01x", "skycell-p2381x06y9", ""]) {
    assert.throws(
      () => parseDataset(bad),
      (e) =>
        e instanceof CmdlineError &&
        e.code === 2 &&
        e.message.includes(`'${bad}'`) &&
        /ipppssoot/.test(e.message) &&
        /acs_8ph_01/.test(e.message) &&
        /skycell-p/.test(e.message),
      bad,
    );
  }
});

test("onsite: read-only serverless CRDS at /grp/crds/cache with flat reference dirs", () => {
  const env = loadConfig("caldp-config-onsite", { HOME: "/home/x", PATH: "/bin" });
  assert.equal(env.CRDS_PATH, "/grp/crds/cache");
  assert.equal(env.CRDS_SERVER_URL, "https://hst-serverless-mode.stsci.edu");
  assert.equal(env.CRDS_READONLY_CACHE, "1");
  for (const v of ["iref", "jref", "oref", "lref", "nref", "uref", "uref_linux"]) {
    assert.equal(env[v], "/grp/crds/cache/references/hst/");
  }
  assert.equal(env.PATH, "/bin");
});

test("offsite: writable cache at $CRDS_PATH or ~/crds_cache, per-instrument dirs; CALDP_DOCKER forces /grp", () => {
  const home = loadConfig("caldp-config-offsite", { HOME: "/home/x" });
  assert.equal(home.CRDS_PATH, "/home/x/crds_cache");
  assert.equal(home.CRDS_SERVER_URL, "https://hst-crds.stsci.edu");
  assert.equal(home.CRDS_READONLY_CACHE, "0");
  assert.equal(home.jref, "/home/x/crds_cache/references/hst/acs/");
  assert.equal(home.uref, "/home/x/crds_cache/references/hst/wfcpc2/");
  assert.equal(loadConfig("caldp-config-offsite", { HOME: "/h", CRDS_PATH: "/c" }).iref, "/c/references/hst/wfc3/");
  assert.equal(loadConfig("caldp-config-offsite", { HOME: "/h", CALDP_DOCKER: "1" }).CRDS_PATH, "/grp/crds/cache");
});

test("aws: S3 plugin variables from CRDSBUCKET, the plugin command left for CRDS to expand", () => {
  const input = { HOME: "/home/developer", CRDSBUCKET: "s3://crds-bucket" };
  const env = loadConfig("caldp-config-aws", input);
  assert.equal(env.CRDS_PATH, "/home/developer/crds_cache");
  assert.equal(env.CRDS_REFERENCE_URI, "s3://crds-bucket/references/hst/");
  assert.equal(env.CRDS_SERVER_URL, "https://hst-crds-serverless.stsci.edu");
  assert.equal(
    env.CRDS_DOWNLOAD_PLUGIN,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell variable syntax, not a template
    "/home/developer/crds_s3_get ${SOURCE_URL} ${OUTPUT_PATH} --file-size ${FILE_SIZE} --file-sha1sum ${FILE_SHA1SUM}",
  );
  assert.equal(env.CRDS_READONLY_CACHE, undefined);
  assert.equal(env.lref, "/home/developer/crds_cache/references/hst/cos/");
  assert.deepEqual(input, { HOME: "/home/developer", CRDSBUCKET: "s3://crds-bucket" }, "the input is not modified");
});

test("a custom KEY=VALUE file; a bad line or an unknown config is a clear command-line error", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-config-"));
  const file = join(dir, "my.env");
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell variable syntax, not a template
  writeFileSync(file, "# mine\nexport CRDS_PATH=${HOME}/c\nCRDS_READONLY_CACHE=1\nCRDS_CONTEXT='hst_1205.pmap'\n");
  const env = loadConfig(file, { HOME: "/h" });
  assert.equal(env.CRDS_PATH, "/h/c");
  assert.equal(env.CRDS_CONTEXT, "hst_1205.pmap");
  assert.equal(env.oref, "/h/c/references/hst/");
  writeFileSync(file, "A=1\nthis is not\n");
  assert.throws(
    () => loadConfig(file, {}),
    (e) => e instanceof CmdlineError && e.message.includes(`${file}:2:`),
  );
  assert.throws(
    () => loadConfig("caldp-config-mars", {}),
    (e) => e instanceof CmdlineError && /caldp-config-mars/.test(e.message),
  );
});

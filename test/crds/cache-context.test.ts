// Cache layout from the environment, reference locations, the cached server_config and context selection.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  cacheLayout,
  getBestReferences,
  instrumentFromReferenceName,
  loadContext,
  readServerConfig,
  referencePath,
  refSubdirMode,
  resolveContext,
} from "../../src/crds/index.js";
import { CRDS_DATA, PYTHON } from "../helpers/paths.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-crds-cache-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("cache paths follow the client's precedence of CRDS_*_SINGLE, CRDS_*PATH, CRDS_PATH_SINGLE, CRDS_PATH", () => {
  assert.deepEqual(cacheLayout({ CRDS_PATH: "/c/" }), {
    observatory: "hst",
    mappingDir: "/c/mappings/hst",
    referenceDir: "/c/references/hst",
    configDir: "/c/config/hst",
    pickleDir: "/c/pickles/hst",
    readonly: false,
  });
  const layout = cacheLayout({
    CRDS_PATH: "/c",
    CRDS_PATH_SINGLE: "/s",
    CRDS_MAPPATH: "/m",
    CRDS_REFPATH_SINGLE: "/r",
  });
  assert.equal(layout.mappingDir, "/m/hst");
  assert.equal(layout.referenceDir, "/r");
  assert.equal(layout.configDir, "/s/config");
  assert.equal(cacheLayout({}).mappingDir, "/grp/crds/cache/mappings/hst");
  assert.equal(cacheLayout({ CRDS_READONLY_CACHE: "1" }).readonly, true);
  assert.throws(() => cacheLayout({ CRDS_READONLY_CACHE: "maybe" }), /Invalid value 'maybe' for boolean env var/);
});

test("reference locations in flat, instrument and legacy modes; the mode file is written only when writable", () => {
  const root = join(scratch, "modes");
  const layout = cacheLayout({ CRDS_PATH: root });
  assert.equal(refSubdirMode(cacheLayout({ CRDS_PATH: root, CRDS_READONLY_CACHE: "true" })), "instrument");
  assert.equal(existsSync(join(layout.configDir, "ref_cache_subdir_mode")), false);
  assert.equal(refSubdirMode(layout), "instrument");
  assert.equal(readFileSync(join(layout.configDir, "ref_cache_subdir_mode"), "utf8"), "instrument");
  assert.equal(referencePath(layout, "m4r1753rj_bia.fits"), join(layout.referenceDir, "acs", "m4r1753rj_bia.fits"));
  assert.equal(
    referencePath(layout, "hst_cos_spottab_0052.fits"),
    join(layout.referenceDir, "cos", "hst_cos_spottab_0052.fits"),
  );
  writeFileSync(join(layout.configDir, "ref_cache_subdir_mode"), "flat\n");
  assert.equal(referencePath(layout, "zas1615jl_spot.fits"), join(layout.referenceDir, "zas1615jl_spot.fits"));
  writeFileSync(join(layout.configDir, "ref_cache_subdir_mode"), "legacy");
  assert.equal(
    referencePath(layout, "w3m17170i_drk.fits", { iref: "/legacy/iref" }),
    "/legacy/iref/w3m17170i_drk.fits",
  );
  const crowded = cacheLayout({ CRDS_PATH: join(scratch, "crowded") });
  mkdirSync(crowded.referenceDir, { recursive: true });
  for (let i = 0; i < 21; i++) writeFileSync(join(crowded.referenceDir, `f${i}_bia.fits`), "");
  assert.equal(refSubdirMode(crowded), "flat");
  assert.equal(instrumentFromReferenceName("a_syn.fits"), "synphot");
  assert.throws(
    () => instrumentFromReferenceName("foobar.fits"),
    /Cannot determine instrument for filename 'foobar.fits'/,
  );
});

/** Writes the trimmed server info as the client does: a pprint (Python literal) dump. */
function writeServerConfig(configDir: string): void {
  mkdirSync(configDir, { recursive: true });
  const script =
    "import json, pprint, sys\ninfo = json.load(open(sys.argv[1]))\nopen(sys.argv[2], 'w').write(pprint.pformat(info))";
  const source = join(CRDS_DATA, "config", "server_info_hst_trimmed.json");
  const run = spawnSync(PYTHON, ["-c", script, source, join(configDir, "server_config")], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
}

test("the cached server_config (a Python literal) gives the operational context", async () => {
  const env = { CRDS_PATH: join(scratch, "cfg") };
  const layout = cacheLayout(env);
  writeServerConfig(layout.configDir);
  const info = readServerConfig(layout);
  const trimmed = JSON.parse(readFileSync(join(CRDS_DATA, "config", "server_info_hst_trimmed.json"), "utf8"));
  assert.deepEqual(info, trimmed);
  assert.equal(await resolveContext({ info, env }), trimmed.operational_context);
  assert.equal(await resolveContext({ info, env: { ...env, CRDS_CONTEXT: "hst_0700.pmap" } }), "hst_0700.pmap");
  assert.equal(
    await resolveContext({ info, context: "hst_0729.pmap", env: { ...env, CRDS_CONTEXT: "hst_0700.pmap" } }),
    "hst_0729.pmap",
  );
  assert.equal(await resolveContext({ info, env: { CRDS_CONTEXT: "hst-operational" } }), trimmed.operational_context);
  assert.equal(await resolveContext({ info, context: "hst-edit", env: {} }), trimmed.edit_context);
  await assert.rejects(resolveContext({ info, env: { CRDS_CONTEXT: "hst_acs_0421.imap" } }), /must name a .pmap/);
  await assert.rejects(
    resolveContext({ info, context: "hst-2019-01-01T00:00:00", env: {} }),
    /Specified CRDS context by date 'hst-2019-01-01T00:00:00' and CRDS server is not reachable./,
  );
  const byDate = await resolveContext({
    info,
    context: "hst-2019-01-01T00:00:00",
    env: {},
    contextByDate: async (date, observatory) => `${observatory}:${date}`,
  });
  assert.equal(byDate, "hst:hst-2019-01-01T00:00:00");
});

test("a bare context name loads from the cache's mapping directory", () => {
  const layout = cacheLayout({ CRDS_MAPPATH_SINGLE: join(CRDS_DATA, "mappings", "hst") });
  const context = loadContext("hst_0729.pmap", { layout });
  const refs = getBestReferences(
    context,
    { INSTRUME: "COS", DETECTOR: "NUV", DEADCORR: "PERFORM", "DATE-OBS": "2010-01-01", "TIME-OBS": "00:00:00" },
    { filekinds: ["deadtab"] },
  );
  assert.deepEqual(refs, { deadtab: "s7g1700ql_dead.fits" });
});

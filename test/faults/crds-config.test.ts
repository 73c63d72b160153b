// CRDS settings that cannot choose a context: the default caldp-process config (caldp-config-onsite, whose
// /grp/crds/cache is absent here) and caldp bestrefs with an empty CRDS_PATH. The message names the cache's
// server_config, CRDS_PATH and the config, and says how to name a context (before: "server info names no
// latest_context or operational_context", nothing else).
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCliAsync } from "../helpers/cli-async.js";
import { HST_DATA } from "../helpers/paths.js";

test("caldp-process with the default config and no CRDS cache: 27 naming server_config, CRDS_PATH, the config and what to do", async (t) => {
  if (existsSync("/grp/crds/cache/config/hst/server_config"))
    return t.skip("this machine has a CRDS cache at /grp/crds/cache");
  const dir = mkdtempSync(join(tmpdir(), "caldp-faults-crds-config-"));
  mkdirSync(join(dir, "in"));
  copyFileSync(join(HST_DATA, "j8bt05njq_raw.fits"), join(dir, "in", "j8bt05njq_raw.fits"));
  const r = await runCliAsync("caldp-process", ["j8bt05njq", "file:in", "file:out"], {
    cwd: dir,
    env: { CRDS_CONTEXT: "" },
  });
  assert.equal(r.status, 27, r.stdout.slice(-3000));
  const log = readFileSync(join(dir, "process.txt"), "utf8");
  const line =
    log.split("\n").find((l) => l.startsWith("ERROR - bestrefs failed: BestrefsError: No CRDS context")) ?? "";
  assert.ok(line.includes("/grp/crds/cache/config/hst/server_config"), log.slice(-3000));
  assert.ok(line.includes("CRDS_PATH=/grp/crds/cache"), line);
  assert.ok(line.includes("config caldp-config-onsite"), line);
  assert.match(line, /CRDS_CONTEXT=hst_NNNN\.pmap/);
  assert.deepEqual(readdirSync(join(dir, "messages")), ["error-j8bt05njq"]);
});

test("caldp bestrefs on an empty CRDS_PATH: one line naming the cache path and --context, exit 1", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-faults-crds-config-"));
  const r = await runCliAsync("caldp", ["bestrefs", "--files", join(HST_DATA, "j8bt05njq_raw.fits")], {
    cwd: dir,
    env: { CRDS_PATH: dir, CRDS_CONTEXT: "" },
  });
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0].includes(`${dir}/config/hst/server_config`), lines[0]);
  assert.ok(lines[0].includes(`CRDS_PATH=${dir}`), lines[0]);
  assert.match(lines[0], /--context/);
});

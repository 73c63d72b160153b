// A caldp-process config argument that is a FIFO or a folder: CMDLINE_ERROR (2) at once, naming it (before: a
// FIFO blocked the run on its read, a folder gave a bare EISDIR).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCliAsync } from "../helpers/cli-async.js";

for (const kind of ["FIFO", "folder"] as const) {
  test(`a config that is a ${kind}: exit 2 at once, naming it`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "caldp-faults-config-"));
    const config = join(dir, "caldp.cfg");
    if (kind === "FIFO") execFileSync("mkfifo", [config]);
    else mkdirSync(config);
    const started = Date.now();
    const r = await runCliAsync("caldp-process", ["j8bt05njq", "file:in", "file:out", config], { cwd: dir });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.ok(Date.now() - started < 15_000);
    assert.ok((r.stdout + r.stderr).includes(`CALDP config ${config} is not a regular file`), r.stdout + r.stderr);
  });
}

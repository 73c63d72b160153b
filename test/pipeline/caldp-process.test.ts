import assert from "node:assert/strict";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { EXIT_CODES, explain } from "../../src/core/exit-codes.js";
import { bestrefsForFile, cacheLayout, loadContext, planHeaderUpdates, referencePath } from "../../src/crds/index.js";
import { readMetrics } from "../../src/pipeline/metrics.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { CRDS_DATA, HST_DATA } from "../helpers/paths.js";

/** A folder with in/<inputs>, a CRDS cache on the shared hst_0729 mappings, and a config file using it. */
function workspace(inputs: string[], extraConfig = ""): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), "caldp-process-"));
  mkdirSync(join(dir, "in"));
  for (const name of inputs) {
    copyFileSync(join(HST_DATA, name), join(dir, "in", name));
    chmodSync(join(dir, "in", name), 0o644);
  }
  mkdirSync(join(dir, "crds", "mappings"), { recursive: true });
  symlinkSync(join(CRDS_DATA, "mappings", "hst"), join(dir, "crds", "mappings", "hst"));
  const config = join(dir, "test.cfg");
  writeFileSync(
    config,
    `CRDS_PATH=${join(dir, "crds")}\nCRDS_READONLY_CACHE=1\nCRDS_CONTEXT=hst_0729.pmap\n${extraConfig}`,
  );
  return { dir, config };
}

/**
 * Stand-ins for the references bestrefs selects for `raw` (a primary header, no data): bestrefs checks that
 * every selected reference is in the cache and sound FITS, and these tests are about what comes after it.
 */
function standInReferences(dir: string, raw: string): void {
  const env = { CRDS_PATH: join(dir, "crds"), CRDS_READONLY_CACHE: "1" };
  const layout = cacheLayout(env);
  const file = join(dir, "in", raw);
  const plan = planHeaderUpdates(bestrefsForFile(loadContext("hst_0729.pmap", { layout }), file), "stis");
  const cards = [
    "SIMPLE  =                    T",
    "BITPIX  =                    8",
    "NAXIS   =                    0",
    "END",
  ];
  const header = cards
    .map((c) => c.padEnd(80))
    .join("")
    .padEnd(2880);
  for (const [, value] of plan.updates) {
    if (value === "N/A") continue;
    const path = referencePath(layout, value.slice(value.indexOf("$") + 1), env);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, header);
  }
}

const read = (path: string) => readFileSync(path, "utf8");

function checkFailedRun(dir: string, ds: string, code: number, inputs: string[]) {
  assert.deepEqual(readdirSync(join(dir, "messages")), [`error-${ds}`]);
  const process = read(join(dir, "process.txt"));
  assert.ok(process.includes(explain(code)), `process.txt has ${explain(code)}`);
  const metrics = readMetrics(read(join(dir, "process_metrics.txt")));
  assert.equal(metrics.exitStatus, code);
  for (const name of ["process.txt", "process_metrics.txt", "preview.txt", "preview_metrics.txt"]) {
    assert.ok(existsSync(join(dir, "out", ds, "logs", name)), `logs/${name}`);
  }
  for (const name of inputs) assert.ok(existsSync(join(dir, "in", name)), `input ${name} kept`);
}

test("a name that is no dataset: CMDLINE_ERROR (2) naming the value and the accepted forms", async () => {
  const { dir, config } = workspace([]);
  const r = await runCliAsync("caldp-process", ["not_a_dataset!", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, EXIT_CODES.CMDLINE_ERROR);
  assert.match(r.stderr, /not_a_dataset!/);
  assert.match(r.stderr, /ipppssoot/i);
  assert.ok(!existsSync(join(dir, "messages")));
});

test("an input folder that does not exist: INPUT_TAR_FILE_ERROR (21), error message, logs, metrics", async () => {
  const { dir, config } = workspace([]);
  const r = await runCliAsync("caldp-process", ["j8bt05njq", "file:nowhere", "file:out", config], { cwd: dir });
  assert.equal(r.status, 21, r.stdout + r.stderr);
  checkFailedRun(dir, "j8bt05njq", 21, []);
  assert.match(read(join(dir, "process.txt")), /Input directory .*nowhere .* does not exist/);
});

test("a STIS acquisition with every switch OMIT, native engine: NOTHING_TO_DO, exit 0, the raw saved with its bestrefs; inputs kept", async () => {
  const { dir, config } = workspace(["ocmv0lw6q_raw.fits"]);
  const input = readFileSync(join(dir, "in", "ocmv0lw6q_raw.fits"));
  standInReferences(dir, "ocmv0lw6q_raw.fits");
  const r = await runCliAsync("caldp-process", ["ocmv0lw6q", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(read(join(dir, "process.txt")), /ocmv0lw6q: NOTHING_TO_DO \(no calibration switch is PERFORM\)/);
  // bestrefs ran on the copy in the scratch folder; the user's raw file is unchanged
  assert.ok(readFileSync(join(dir, "in", "ocmv0lw6q_raw.fits")).equals(input));
  assert.match(read(join(dir, "out", "ocmv0lw6q", "ocmv0lw6q_raw.fits")).slice(0, 40000), /CRDS_CTX= 'hst_0729.pmap'/);
});

test("the hstcal engine without the program on PATH: 23, naming the program", async () => {
  const { dir, config } = workspace(["ocmv0lw6q_raw.fits"], "CALDP_ENGINE=hstcal\n");
  standInReferences(dir, "ocmv0lw6q_raw.fits");
  const r = await runCliAsync("caldp-process", ["ocmv0lw6q", "file:in", "file:out", config], {
    cwd: dir,
    env: { PATH: "/usr/bin:/bin" },
  });
  assert.equal(r.status, 23, r.stdout + r.stderr);
  assert.match(read(join(dir, "process.txt")), /cs0\.e/);
});

test("an hstcal program killed by a signal: 23 with the signal explained", async () => {
  const { dir, config } = workspace(["ocmv0lw6q_raw.fits"], "CALDP_ENGINE=hstcal\n");
  standInReferences(dir, "ocmv0lw6q_raw.fits");
  const bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "cs0.e"), "#!/bin/sh\necho calibrating $*\nkill -9 $$\n");
  chmodSync(join(bin, "cs0.e"), 0o755);
  const r = await runCliAsync("caldp-process", ["ocmv0lw6q", "file:in", "file:out", config], {
    cwd: dir,
    env: { PATH: `${bin}:/usr/bin:/bin` },
  });
  assert.equal(r.status, 23);
  const log = read(join(dir, "process.txt"));
  assert.match(log, /calibrating -tv ocmv0lw6q_raw.fits/);
  assert.match(log, /EXIT - Killed by UNIX signal SIGKILL\[9\]/);
});

test("a CRDS context that does not exist: BESTREFS_ERROR (27) after 3 tries", async () => {
  const { dir, config } = workspace(["ocmv0lw6q_raw.fits"]);
  writeFileSync(config, read(config).replace("hst_0729.pmap", "hst_9999.pmap"));
  const r = await runCliAsync("caldp-process", ["ocmv0lw6q", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 27, r.stdout + r.stderr);
  checkFailedRun(dir, "ocmv0lw6q", 27, ["ocmv0lw6q_raw.fits"]);
  assert.equal((read(join(dir, "process.txt")).match(/bestrefs failed \(try \d\)/g) ?? []).length, 2);
});

test("CALDP_SIMULATE_ERROR gives every code of the table, with its EXIT line and the error message", async () => {
  const codes = Object.values(EXIT_CODES).filter((c) => c !== 0);
  const results = new Map<number, Awaited<ReturnType<typeof runCliAsync>> & { dir: string }>();
  for (let i = 0; i < codes.length; i += 4) {
    await Promise.all(
      codes.slice(i, i + 4).map(async (code) => {
        // a stand-in cs0.e that succeeds, so that the blocks after stage 1 run too
        const { dir, config } = workspace(
          ["ocmv0lw6q_raw.fits"],
          `CALDP_SIMULATE_ERROR=${code}\nCALDP_ENGINE=hstcal\n`,
        );
        standInReferences(dir, "ocmv0lw6q_raw.fits");
        const bin = join(dir, "bin");
        mkdirSync(bin);
        writeFileSync(join(bin, "cs0.e"), "#!/bin/sh\necho calibrated $*\n");
        chmodSync(join(bin, "cs0.e"), 0o755);
        const env = { PATH: `${bin}:/usr/bin:/bin` };
        const r = await runCliAsync("caldp-process", ["ocmv0lw6q", "file:in", "file:out", config], { cwd: dir, env });
        results.set(code, { ...r, dir });
      }),
    );
  }
  for (const code of codes) {
    const r = results.get(code)!;
    assert.equal(r.status, code, `CALDP_SIMULATE_ERROR=${code}: ${r.stdout.slice(-400)}`);
    assert.deepEqual(readdirSync(join(r.dir, "messages")), ["error-ocmv0lw6q"], `messages for ${code}`);
    assert.ok(r.stdout.trimEnd().endsWith(explain(code)), `last line for ${code}: ${r.stdout.slice(-200)}`);
  }
});

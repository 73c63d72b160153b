/**
 * The program skeleton (src/engine/program-run.ts) on a small program described here, with real raw files
 * (primary headers written by our FITS writer) and a real worker pool: phases in order on ONE pool for every
 * detector, a phase per exposure, `when`, trailers rewritten after each phase and ending with its timed line
 * (no temporary file left), nothing to do, another instrument refused before anything runs, outputs in plan
 * order whatever order they were written in, and a failing phase stopping the run with its own error.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import {
  type DetectorProgram,
  type Exposure,
  type ProgramDescription,
  runProgram,
} from "../../src/engine/program-run.js";
import { taskModule, type WorkerPool } from "../../src/engine/worker-pool.js";
import { FitsWriter, Header } from "../../src/fits/index.js";

const fixture = taskModule<typeof import("./worker-task-fixture.js")>(
  new URL("./worker-task-fixture.ts", import.meta.url),
);

function writeRaw(dir: string, root: string, cards: Record<string, string>): void {
  const header = new Header();
  for (const [keyword, value] of Object.entries(cards)) header.set(keyword, value);
  const writer = new FitsWriter(join(dir, `${root}_raw.fits`));
  writer.writeImage(header);
  writer.close();
}

function folder(raws: Record<string, Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), "program-run-"));
  for (const [root, cards] of Object.entries(raws)) writeRaw(dir, root, cards);
  return dir;
}

const acs = (detector: string) => ({ INSTRUME: "ACS", DETECTOR: detector });

/** A detector whose phases note what they ran on and with which pool. */
function detector(
  name: string,
  seen: { phase: string; roots: string[]; pool: WorkerPool; threads: number[] }[],
  options: { nothingToDo?: string[]; fail?: string } = {},
): DetectorProgram<Exposure> {
  const note = (phase: string) => async (run: { members: Exposure[] }, ctx: { pool: WorkerPool }) => {
    if (options.fail === phase) throw new CalibrationError("CAL_STEP_NOT_DONE", `${phase} failed on purpose`);
    const threads = await ctx.pool.run(
      fixture("whoAmI"),
      run.members.map(() => ({})),
    );
    seen.push({ phase, roots: run.members.map((m) => m.root), pool: ctx.pool, threads });
  };
  return {
    accepts: (primary) => primary.get("DETECTOR") === name,
    prepare: (root) =>
      options.nothingToDo?.includes(root) ? undefined : { root, trailer: [`${name} processing ${root}`] },
    workers: () => 2,
    phases: [
      { name: `${name}1`, run: note(`${name}1`) },
      { name: `${name}2`, each: "exposure", run: note(`${name}2`) },
      { name: `${name}3`, when: () => false, run: note(`${name}3`) },
    ],
  };
}

function program(detectors: DetectorProgram<Exposure>[]): ProgramDescription {
  return { name: "testprog", instrument: "ACS", calVer: "test", detectors };
}

test("phases run in order on one pool for every detector; per exposure when asked; trailers end with the phase", async () => {
  const dir = folder({ a: acs("WFC"), b: acs("WFC"), c: acs("SBC") });
  try {
    const seen: Parameters<typeof detector>[1] = [];
    const lines: string[] = [];
    const result = await runProgram(program([detector("SBC", seen), detector("WFC", seen)]), ["a", "b", "c"], {
      dir,
      env: {},
      log: (line) => lines.push(line),
      workers: 2,
    });
    assert.deepEqual(
      seen.map((s) => `${s.phase} ${s.roots.join(",")}`),
      ["SBC1 c", "SBC2 c", "WFC1 a,b", "WFC2 a", "WFC2 b"],
    );
    assert.ok(
      seen.every((s) => s.pool === seen[0]!.pool),
      "one pool for the whole run",
    );
    assert.ok(lines.includes("WFC1: a_raw.fits b_raw.fits"));
    assert.ok(lines.some((l) => /^WFC2 b_raw\.fits \(wall \d+\.\d{3} s, CPU \d+\.\d{3} s\)$/.test(l)));
    assert.deepEqual(result, { outputs: [], nothingToDo: [] });
    const trailer = readFileSync(join(dir, "a.tra"), "utf8").split("\n");
    assert.equal(trailer[0], "WFC processing a");
    assert.match(trailer[1]!, /^WFC1 a_raw\.fits b_raw\.fits \(wall /);
    assert.match(trailer[2]!, /^WFC2 a_raw\.fits \(wall /);
    assert.equal(trailer.length, 4, "the last line ends with a newline");
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith(".tmp")),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an exposure with nothing to do is logged and listed, and gets no trailer", async () => {
  const dir = folder({ a: acs("WFC"), b: acs("WFC") });
  try {
    const seen: Parameters<typeof detector>[1] = [];
    const lines: string[] = [];
    const result = await runProgram(program([detector("WFC", seen, { nothingToDo: ["a"] })]), ["a", "b"], {
      dir,
      env: {},
      log: (line) => lines.push(line),
    });
    assert.deepEqual(result.nothingToDo, ["a"]);
    assert.ok(lines.includes("a: no calibration switch is PERFORM: nothing to do"));
    assert.deepEqual(readdirSync(dir).sort(), ["a_raw.fits", "b.tra", "b_raw.fits"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("another instrument's raw is refused before any exposure is prepared", async () => {
  const dir = folder({ a: acs("WFC"), o: { INSTRUME: "STIS", DETECTOR: "CCD" } });
  try {
    const seen: Parameters<typeof detector>[1] = [];
    await assert.rejects(
      runProgram(program([detector("WFC", seen)]), ["a", "o_raw.fits"], { dir, env: {}, log: () => {} }),
      (e: unknown) =>
        e instanceof CalibrationError &&
        e.message === "o_raw.fits: INSTRUME is 'STIS': testprog calibrates ACS data only",
    );
    assert.deepEqual(seen, []);
    assert.deepEqual(readdirSync(dir).sort(), ["a_raw.fits", "o_raw.fits"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a raw of a detector the program has no description for is refused, naming file and detector", async () => {
  const dir = folder({ a: acs("HRC") });
  try {
    await assert.rejects(
      runProgram(program([detector("WFC", [])]), ["a"], { dir, env: {}, log: () => {} }),
      (e: unknown) =>
        e instanceof CalibrationError && e.message === "a_raw.fits: testprog has no program for DETECTOR 'HRC'",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("outputs are listed in plan order whatever order they were written in; the product last", async () => {
  const dir = folder({ a: acs("WFC"), b: acs("WFC") });
  try {
    const writer: DetectorProgram<Exposure> = {
      ...detector("WFC", []),
      phases: [
        {
          name: "WRITE",
          run: async (_run, ctx) => {
            for (const name of ["p_crj.fits", "b_flt.fits", "a_flt.fits", "a_ima.fits"]) ctx.wrote(name);
          },
        },
      ],
    };
    const lines: string[] = [];
    const result = await runProgram(program([writer]), ["a", "b"], { dir, env: {}, log: (l) => lines.push(l) });
    assert.deepEqual(result.outputs, ["a_flt.fits", "a_ima.fits", "b_flt.fits", "p_crj.fits"]);
    assert.deepEqual(
      lines.filter((l) => l.startsWith("wrote ")),
      result.outputs.map((n) => `wrote ${n}`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a failing phase stops the run with its own error; no later phase runs", async () => {
  const dir = folder({ a: acs("WFC") });
  try {
    const seen: Parameters<typeof detector>[1] = [];
    await assert.rejects(
      runProgram(program([detector("WFC", seen, { fail: "WFC2" })]), ["a"], { dir, env: {}, log: () => {} }),
      (e: unknown) => e instanceof CalibrationError && e.message === "WFC2 failed on purpose",
    );
    assert.deepEqual(
      seen.map((s) => s.phase),
      ["WFC1"],
    );
    assert.match(readFileSync(join(dir, "a.tra"), "utf8"), /^WFC processing a\nWFC1 a_raw\.fits \(wall .*\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

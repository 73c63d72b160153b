// One fuzz worker process: runs inputs [start, end) of a seeded run and prints one JSON line per input
// (see driver.ts). It exits early when its peak RSS passes the limit, so that the driver can blame the input.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FitsError } from "../../../src/fits/index.js";
import { loadSeeds } from "./corpus.js";
import { exercise } from "./exercise.js";
import { makeInput } from "./mutate.js";

const [runSeed, start, end, all, rssLimitMb] = process.argv.slice(2);
const seeds = loadSeeds({ all: all === "all" });
const dir = mkdtempSync(join(tmpdir(), "caldp-fuzz-"));
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

try {
  for (let index = Number(start); index < Number(end); index++) {
    const input = makeInput(seeds, Number(runSeed), index);
    const path = join(dir, input.gzip ? "input.fits.gz" : "input.fits");
    writeFileSync(path, input.bytes);
    say({ start: index });
    const began = performance.now();
    let outcome: { outcome: string; code?: string; message?: string } = { outcome: "ok" };
    try {
      exercise(path);
    } catch (e) {
      if (e instanceof FitsError) outcome = { outcome: "fits", code: e.code, message: e.message };
      else outcome = { outcome: "exception", message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
    rmSync(path, { force: true });
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    const ms = performance.now() - began;
    if (maxRssMb > Number(rssLimitMb)) {
      say({ done: index, outcome: "memory", message: `peak RSS ${maxRssMb.toFixed(0)} MB`, ms, maxRssMb });
      break;
    }
    say({ done: index, ...outcome, ms, maxRssMb });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

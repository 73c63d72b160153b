// Fuzzes the FITS library: seeded mutations of real HST files and synthetic ones (card rewrites with absurd
// values, bit flips, truncations, block duplications and deletions, gzip damage), each opened, listed,
// summarised as `fits info` does, read HDU by HDU and verified. Every failure must be a FitsError: any other
// exception, a hang or a peak RSS beyond the limit is reported (and the exit status is 1).
// usage: node --import tsx bench/fits-fuzz.ts [--count 100000] [--seed 1] [--all] [--timeout-ms 10000] [--rss-mb 768]
import { runFuzz } from "../test/helpers/fits-fuzz/driver.js";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

const count = option("count", 100_000);
const seed = option("seed", 1);
const summary = await runFuzz({
  seed,
  count,
  allSeeds: process.argv.includes("--all"),
  inputTimeoutMs: option("timeout-ms", 10_000),
  rssLimitMb: option("rss-mb", 768),
  onProgress: (done) => {
    if (done % 10_000 === 0) console.error(`${done} inputs`);
  },
});
const fitsErrors = Object.values(summary.fitsErrors).reduce((a, b) => a + b, 0);
const inLibrary = `${summary.exerciseSeconds.toFixed(1)} s in the library`;
console.log(`inputs: ${summary.inputs} (seed ${seed}) in ${summary.seconds.toFixed(1)} s (${inLibrary})`);
console.log(`opened and read without error: ${summary.ok}`);
console.log(`FitsErrors: ${fitsErrors}`);
for (const [code, n] of Object.entries(summary.fitsErrors).sort((a, b) => b[1] - a[1])) {
  console.log(`  ${code.padEnd(18)} ${n}`);
}
console.log(`other exceptions, hangs, crashes, memory: ${summary.failures.length}`);
for (const f of summary.failures.slice(0, 20)) console.log(`  #${f.index} ${f.kind}: ${f.message} [${f.input}]`);
console.log(`slowest input: #${summary.slowest.index} ${summary.slowest.ms.toFixed(1)} ms [${summary.slowest.input}]`);
console.log(`peak RSS of a fuzzing process: ${summary.peakRssMb.toFixed(0)} MB`);
process.exitCode = summary.failures.length === 0 ? 0 : 1;

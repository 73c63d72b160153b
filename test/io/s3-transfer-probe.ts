/**
 * Runs one S3 transfer in a fresh process and prints its peak resident set as JSON, so that the figure is not
 * blurred by what the test process allocated before. Usage: upload <file> <uri> | download <uri> <file> |
 * input <uri> <workDir>. The AWS settings come from the environment.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseDataset } from "../../src/core/dataset.js";
import { downloadS3Object } from "../../src/io/s3-download.js";
import { prepareS3Inputs } from "../../src/io/s3-input.js";
import { uploadFileToS3 } from "../../src/io/s3-upload.js";

function statusBytes(field: "VmRSS" | "VmHWM"): number {
  const line = readFileSync("/proc/self/status", "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  if (!line) throw new Error(`no ${field} in /proc/self/status`);
  return Number(line[1]) * 1024;
}

const [operation, from, to] = process.argv.slice(2);
const transfers: Record<string, () => Promise<unknown>> = {
  upload: () => uploadFileToS3(from, to),
  download: () => downloadS3Object(from, to),
  input: () => prepareS3Inputs(from, parseDataset("j8bt05njq"), to),
};
const before = statusBytes("VmRSS");
writeFileSync("/proc/self/clear_refs", "5"); // resets VmHWM to the current resident set (Linux)
const started = performance.now();
await transfers[operation]();
const seconds = (performance.now() - started) / 1000;
const peak = statusBytes("VmHWM");
process.stdout.write(`${JSON.stringify({ before, peak, growth: peak - before, seconds })}\n`);

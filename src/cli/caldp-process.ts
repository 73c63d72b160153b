#!/usr/bin/env node
import { caldpProcess } from "../pipeline/caldp-process.js";
import { exitOnUncaught } from "./error-output.js";
import { handleProcessOptions } from "./process-help.js";

exitOnUncaught("caldp-process");

const argv = process.argv.slice(2);
const handled = handleProcessOptions(argv);
if (handled) {
  if (handled.out) process.stdout.write(`${handled.out}\n`);
  if (handled.err) process.stderr.write(`${handled.err}\n`);
  process.exitCode = handled.code;
} else {
  process.exitCode = await caldpProcess(argv, process.cwd(), process.env);
}

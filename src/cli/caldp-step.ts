#!/usr/bin/env node
// One step of caldp-process in its own process (so that its time and memory are its own):
// caldp-step process|preview|messages <input> <output> <dataset>. Not meant to be run by hand.
import { join } from "node:path";
import { Logger } from "../pipeline/log.js";
import { runProcessStep } from "../pipeline/process-step.js";
import { exitStatusFor } from "../pipeline/stage.js";
import { runMessagesStep, runPreviewStep } from "../pipeline/steps.js";

const [step, inputUri, outputUri, dataset] = process.argv.slice(2);
const cwd = process.cwd();
const logFile = { process: "process.txt", preview: "preview.txt", messages: undefined }[step as "process"];
const log = new Logger(logFile === undefined ? undefined : join(cwd, logFile));
const run = { process: runProcessStep, preview: runPreviewStep, messages: runMessagesStep }[step as "process"];
let failure: unknown;
try {
  if (!run) throw new Error(`unknown step '${step}'`);
  await run({ dataset, inputUri, outputUri, cwd, env: process.env, log });
} catch (e) {
  failure = e;
}
const status = exitStatusFor(failure, log);
log.close();
process.exit(status);

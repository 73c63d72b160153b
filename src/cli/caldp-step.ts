#!/usr/bin/env node
// One step of caldp-process in its own process group (so that its time and memory are its own, and a signal
// reaches its programs too): caldp-step process|preview|messages <input> <output> <dataset> <scratch>.
// Not meant to be run by hand.
import { join } from "node:path";
import { Logger } from "../pipeline/log.js";
import { describeChain } from "../pipeline/map-failure.js";
import { runProcessStep } from "../pipeline/process-step.js";
import { explainSignal, signalNumber } from "../pipeline/signals.js";
import { exitStatusFor } from "../pipeline/stage.js";
import { runMessagesStep, runPreviewStep } from "../pipeline/steps.js";

const [step, inputUri, outputUri, dataset, scratchDir] = process.argv.slice(2);
const cwd = process.cwd();
const logFile = { process: "process.txt", preview: "preview.txt", messages: undefined }[step as "process"];
const log = new Logger(logFile === undefined ? undefined : join(cwd, logFile));
const run = { process: runProcessStep, preview: runPreviewStep, messages: runMessagesStep }[step as "process"];

/** Ends the whole group (this step, its hstcal programs) with `signal`; this process dies of it too. */
function stopGroup(signal: NodeJS.Signals): void {
  for (const s of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.removeAllListeners(s);
  try {
    process.kill(-process.pid, signal);
  } catch {
    process.kill(process.pid, signal);
  }
}

// caldp-process forwards SIGTERM/SIGINT/SIGHUP to this group; the programs get it from the kernel already.
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  process.on(signal, () => {
    log.error(`caldp-step ${step}: stopped by ${signal}`);
    log.echo(explainSignal(signalNumber(signal) ?? 0));
    stopGroup(signal);
  });
}
// caldp-process holds our stdin open: if it dies (even by SIGKILL), the pipe closes and the group goes too.
process.stdin.on("end", () => {
  log.error(`caldp-step ${step}: caldp-process is gone; stopping`);
  stopGroup("SIGKILL");
});
process.stdin.on("error", () => stopGroup("SIGKILL"));
process.stdin.resume();

let failure: unknown;
try {
  if (!run) throw new Error(`unknown step '${step}'`);
  if (!scratchDir) throw new Error("no scratch folder given");
  await run({ dataset, inputUri, outputUri, cwd, scratchDir, env: process.env, log });
} catch (e) {
  failure = e;
}
const status = exitStatusFor(failure, log);
if (failure !== undefined) process.stderr.write(`caldp-process: ${step} failed: ${describeChain(failure)}\n`);
log.close();
process.exit(status);

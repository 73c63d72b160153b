#!/usr/bin/env node
// One step of caldp-process in its own process group (so that its time and memory are its own, and a signal
// reaches its programs too): caldp-step process|preview|messages <input> <output> <dataset> <scratch>.
// Not meant to be run by hand.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { Logger } from "../core/log.js";
import { explainSignal, signalNumber } from "../core/signals.js";
import { codedErrorFor } from "../pipeline/error-exits.js";
import { describeChain } from "../pipeline/map-failure.js";
import { runProcessStep } from "../pipeline/process-step.js";
import { exitStatusFor } from "../pipeline/stage.js";
import { runMessagesStep, runPreviewStep } from "../pipeline/steps.js";
import { exitOnUncaught } from "./error-output.js";

exitOnUncaught(`caldp-process: ${process.argv[2]}`);

const [step, inputUri, outputUri, dataset, scratchDir] = process.argv.slice(2);
const cwd = process.cwd();
const logFile = { process: "process.txt", preview: "preview.txt", messages: undefined }[step as "process"];
const log = new Logger(logFile === undefined ? undefined : join(cwd, logFile));
const run = { process: runProcessStep, preview: runPreviewStep, messages: runMessagesStep }[step as "process"];

// caldp-process forwards SIGTERM/SIGINT/SIGHUP to this whole group (programs included): say so in the log,
// then die of the signal, so that the metrics record it.
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  process.on(signal, () => {
    log.error(`caldp-step ${step}: stopped by ${signal}`);
    log.echo(explainSignal(signalNumber(signal) ?? 0));
    for (const s of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.removeAllListeners(s);
    process.kill(process.pid, signal);
  });
}
// caldp-process holds our stdin open: if it dies (even by SIGKILL), the pipe closes and the group goes too.
// A small sh in our group reads the pipe and kills the group on EOF, also while this process is busy in
// synchronous work. This process must not touch process.stdin: Node would make the shared pipe non-blocking
// and the sh's read would fail at once.
// The watcher ignores the termination signals forwarded to the group: if it died of one while this process
// is too busy to handle it, and caldp-process were then SIGKILLed before its grace ran out, nobody would be left
// to end this step.
const WATCH = "trap '' TERM INT HUP; read -r _; kill -KILL 0";
const watcher = spawn("/bin/sh", ["-c", WATCH], { stdio: ["inherit", "ignore", "ignore"] });
watcher.on("error", () => undefined);
process.on("exit", () => watcher.kill("SIGKILL"));

let failure: unknown;
try {
  if (!run) throw new Error(`unknown step '${step}'`);
  if (!scratchDir) throw new Error("no scratch folder given");
  await run({ dataset, inputUri, outputUri, cwd, scratchDir, env: process.env, log });
} catch (e) {
  failure = e;
}
const status = exitStatusFor(failure, log);
// an io or previews error is shown as the CALDP error it stands for, as in the fatal report
const shown = failure === undefined ? undefined : (codedErrorFor(failure) ?? failure);
if (shown !== undefined) process.stderr.write(`caldp-process: ${step} failed: ${describeChain(shown)}\n`);
log.close();
process.exit(status);

import type { Command } from "commander";
import type { BatchQueues } from "../../batch/queues.js";
import type { BatchSummary } from "../../batch/status.js";
import { signalNumber } from "../../core/signals.js";

const runtime = () => import("./batch-runtime.js");

const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;
const REDIS_HELP = "Redis URL (default $REDIS_URL, else redis://127.0.0.1:6379)";

function number(name: string, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
      throw new Error(`${name} must be a positive ${integer ? "integer" : "number"}, got '${value}'`);
    }
    return n;
  };
}

const collect = (value: string, previous: string[]) => [...previous, value];

function envPairs(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 1) throw new Error(`--env wants KEY=VALUE, got '${pair}'`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

async function withQueues<T>(redis: string | undefined, run: (queues: BatchQueues) => Promise<T>): Promise<T> {
  const { BatchQueues, redisUrl } = await runtime();
  const queues = new BatchQueues(redisUrl(redis));
  try {
    return await run(queues);
  } catch (e) {
    throw queues.unreachable(e) ?? e;
  } finally {
    await queues.close();
  }
}

/** The outputs named with --output, else those the batch's Redis knows. */
async function outputsOf(queues: BatchQueues, given: string[]): Promise<string[]> {
  const { outputLocation } = await runtime();
  return given.length ? given.map(outputLocation) : await queues.outputs();
}

export function registerBatchCommands(program: Command): void {
  const batch = program.command("batch").description("run many datasets through caldp-process on Redis queues");

  batch
    .command("submit")
    .description("place datasets on the memory-rung queues (predicted first rung, kill time, job records)")
    .argument("<datasets...>", "dataset names, or files listing one per line")
    .requiredOption("--input <uri>", "input URI; {dataset} is replaced by each dataset's name")
    .requiredOption("--output <uri>", "output location (file:<dir>, s3://<bucket>): outputs, messages/, control/")
    .option("--config <name>", "caldp-process config", "caldp-config-onsite")
    .option("--env <KEY=VALUE>", "extra environment for caldp-process (repeatable)", collect, [])
    .option("--kill-time <seconds>", "kill time instead of the predicted one", number("--kill-time"))
    .option("--timeout-scale <x>", "scale the kill time (CALCLOUD timeout_scale)", number("--timeout-scale"))
    .option("--memory-bin <rung>", "first rung instead of the predicted one (2g, 8g, 16g, 64g)")
    .option("--dry-run", "run a trivial child instead of caldp-process (orchestration tests)")
    .option("--redis <url>", REDIS_HELP)
    .action(async (args: string[], o) => {
      const { absoluteFileUri, expandDatasetArgs, rungOf, submit } = await runtime();
      const result = await withQueues(o.redis, (queues) =>
        submit(queues, {
          datasets: expandDatasetArgs(args),
          input: absoluteFileUri(o.input),
          output: o.output,
          config: o.config,
          env: envPairs(o.env),
          dryRun: o.dryRun,
          killTime: o.killTime,
          timeoutScale: o.timeoutScale,
          memoryBin: o.memoryBin === undefined ? undefined : rungOf(o.memoryBin).bin,
        }),
      );
      for (const r of result.submitted)
        console.log(`submitted ${r.dataset} on ${rungOf(r.memory_bin).name} (kill time ${r.kill_time} s)`);
      for (const ds of result.skipped) console.log(`skipped ${ds}: still in flight (cancel it first)`);
    });

  batch
    .command("worker")
    .description("run jobs of one memory rung")
    .option("--rung <rung>", "2g, 8g, 16g or 64g", "2g")
    .option("--concurrency <n>", "jobs at once", number("--concurrency", true), 1)
    .option("--work-dir <dir>", "working folders of the attempts (default: a temporary folder)")
    .option("--output <uri>", "output location to recover from even before a job arrives (repeatable)", collect, [])
    .option("--lease-seconds <s>", "how long a silent worker keeps a dataset", number("--lease-seconds"), 15)
    .option("--lock-seconds <s>", "bullmq lock duration (stalled-job detection)", number("--lock-seconds"), 30)
    .option(
      "--reconcile-seconds <s>",
      "how often the job records are checked against Redis",
      number("--reconcile-seconds"),
      30,
    )
    .option("--memory-limit-mb <MiB>", "override the rung's memory limit", number("--memory-limit-mb", true))
    .option(
      "--stop-grace-seconds <s>",
      "on SIGTERM/SIGINT, how long a running child gets between SIGTERM and SIGKILL before its job is handed back",
      number("--stop-grace-seconds"),
      10,
    )
    .option("--redis <url>", REDIS_HELP)
    .action(async (o) => {
      const { BatchWorker, outputLocation, redisUrl } = await runtime();
      const worker = new BatchWorker({
        redis: redisUrl(o.redis),
        rung: o.rung,
        concurrency: o.concurrency,
        workDir: o.workDir,
        leaseMs: o.leaseSeconds * 1000,
        lockMs: o.lockSeconds * 1000,
        reconcileMs: o.reconcileSeconds * 1000,
        outputs: o.output.map(outputLocation),
        memoryLimitMiB: o.memoryLimitMb,
        stopGraceMs: o.stopGraceSeconds * 1000,
      });
      await worker.start();
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        for (const name of STOP_SIGNALS) process.once(name, () => resolve(name));
      });
      // a second signal, or a stop that overruns its bound, ends the process now: the children's guards
      // kill their groups when the worker's pipes close
      const now = (why: string, status: number) => {
        console.log(`caldp batch worker: ${why}: exiting now`);
        process.exit(status);
      };
      for (const name of STOP_SIGNALS) process.once(name, () => now(`second ${name}`, 128 + signalNumber(name)!));
      setTimeout(() => now(`not stopped within ${worker.stopBoundMs / 1000} s`, 1), worker.stopBoundMs);
      await worker.stop(signal);
      process.exit(0);
    });

  batch
    .command("status")
    .description("counts per state, progress, queues per rung")
    .option("--output <uri>", "output location (repeatable; default: those known to Redis)", collect, [])
    .option("--watch", "refresh every second")
    .option("--json", "print the summary as JSON")
    .option("--redis <url>", REDIS_HELP)
    .action(async (o) => {
      const { renderSummary, summarize, watchStatus } = await runtime();
      const render = (summary: BatchSummary) =>
        o.json ? `${JSON.stringify({ ...summary, rows: undefined }, null, 1)}\n` : renderSummary(summary);
      await withQueues(o.redis, async (queues) => {
        const outputs = () => outputsOf(queues, o.output);
        if (o.watch) await watchStatus({ outputs, queues, render });
        else process.stdout.write(render(await summarize(await outputs(), queues)));
      });
    });

  for (const [name, description] of [
    ["rescue", "resubmit datasets that ended in error or terminated (counters kept)"],
    ["cancel", "terminate datasets in flight (running ones are killed)"],
    ["clean", "remove every trace of datasets: jobs, messages, records, outputs"],
  ] as const) {
    const command = batch
      .command(name)
      .description(description)
      .argument("<dataset>", "a dataset name, or all")
      .option("--output <uri>", "output location (repeatable; default: those known to Redis)", collect, [])
      .option("--redis <url>", REDIS_HELP);
    if (name === "rescue") {
      command
        .option("--timeout-scale <x>", "scale the kill time", number("--timeout-scale"))
        .option("--memory-bin <rung>", "rung to rescue on");
    }
    command.action(async (which: string, o) => {
      const { cancel, clean, rescue, rungOf } = await runtime();
      await withQueues(o.redis, async (queues) => {
        for (const output of await outputsOf(queues, o.output)) {
          if (name === "rescue") {
            const bin = o.memoryBin === undefined ? undefined : rungOf(o.memoryBin).bin;
            const done = await rescue(queues, output, which, { timeoutScale: o.timeoutScale, memoryBin: bin });
            console.log(`rescued ${done.length}: ${done.join(" ")}`);
          } else if (name === "cancel") {
            const done = await cancel(queues, output, which);
            console.log(`terminated ${done.terminated.join(" ") || "-"}; stopping ${done.signalled.join(" ") || "-"}`);
          } else {
            const done = await clean(queues, output, which);
            console.log(`cleaned ${done.length}: ${done.join(" ")}`);
          }
        }
      });
    });
  }

  batch
    .command("dashboard")
    .description("web page with every dataset's state, exit code, wall time, peak memory and previews")
    .option("--port <n>", "port on 127.0.0.1 (0: any free one)", (v) => Number(v), 8080)
    .option("--output <uri>", "output location (repeatable; default: those known to Redis)", collect, [])
    .option("--redis <url>", REDIS_HELP)
    .action(async (o) => {
      const { BatchQueues, redisUrl, startDashboard } = await runtime();
      const queues = new BatchQueues(redisUrl(o.redis));
      const server = await startDashboard({ port: o.port, outputs: () => outputsOf(queues, o.output), queues });
      console.log(`dashboard on ${server.url}`);
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
      });
      await server.close();
      await queues.close();
    });
}

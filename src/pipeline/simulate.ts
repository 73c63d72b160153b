import { GenericError, SubprocessFailure } from "../core/errors.js";
import { EXIT_CODES, type ExitName, explain, lookupExit } from "../core/exit-codes.js";
import type { Logger } from "../core/log.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The code asked for by CALDP_SIMULATE_ERROR, or undefined; a value that is not an integer is an error (1). */
export function simulatedErrorCode(env: Env): number | undefined {
  const raw = env.CALDP_SIMULATE_ERROR?.trim();
  if (!raw) return undefined;
  if (!/^-?\d+$/.test(raw)) {
    throw new GenericError(`CALDP_SIMULATE_ERROR must be an integer exit code, got '${raw}'`, {
      hint: "unset it, or set it to a code from the CALDP exit-code table, e.g. 32",
    });
  }
  return Number(raw);
}

/**
 * Fails the way CALDP_SIMULATE_ERROR=`simulated` asks, at the start of a block whose code is `stageCode`
 * (CALDP's exit_on_exception): memory codes in every block, any other code only in the block that owns it.
 * The failures are real ones that go through the normal mapping:
 * - 32: the RangeError V8 throws when an ArrayBuffer cannot be allocated;
 * - 34: an ENOMEM system error, as from a failed spawn;
 * - 31: a child that printed a MemoryError (the line is also written to the log, where CALDP greps for it);
 * - 33: see {@link simulateContainerMemoryKill};
 * - the block's own code: `Error("Simulating error = N")`.
 */
export function simulateFailure(simulated: number | undefined, stageCode: number | ExitName, log: Logger): void {
  if (simulated === undefined) return;
  const tag = `(simulated by CALDP_SIMULATE_ERROR=${simulated})`;
  switch (simulated) {
    case EXIT_CODES.CALDP_MEMORY_ERROR:
      throw new RangeError(`Array buffer allocation failed ${tag}`);
    case EXIT_CODES.OS_MEMORY_ERROR:
      throw Object.assign(new Error(`spawn ENOMEM: Cannot allocate memory ${tag}`), { code: "ENOMEM", errno: -12 });
    case EXIT_CODES.SUBPROCESS_MEMORY_ERROR: {
      const line = `MemoryError: Unable to allocate array ${tag}`;
      log.echo(line);
      throw new SubprocessFailure("simulated-subprocess", { exitCode: 1 }, line);
    }
    case EXIT_CODES.CONTAINER_MEMORY_ERROR:
      simulateContainerMemoryKill(log);
  }
  if (simulated === lookupExit(stageCode)?.code) throw new Error(`Simulating error = ${simulated}`);
}

/**
 * 33: what a container runtime does when the job exceeds its memory limit is a SIGKILL from the kernel's
 * OOM killer, with no chance to clean up. CALDP's 1 GiB bytearray did not reach the limit; this kills
 * the process with SIGKILL itself, after writing the explanation to the log. The parent (caldp-process
 * or the batch worker) sees "killed by SIGKILL" / status 137 exactly as for a real OOM kill; the last
 * log line says it was the simulated container memory error.
 */
export function simulateContainerMemoryKill(log: Logger): never {
  log.info("Simulating a container memory kill: SIGKILL to self (CALDP_SIMULATE_ERROR=33)");
  log.echo(explain(EXIT_CODES.CONTAINER_MEMORY_ERROR));
  process.kill(process.pid, "SIGKILL");
  // SIGKILL to oneself is delivered before kill() returns; this line is only for the type checker.
  throw new Error("SIGKILL was not delivered");
}

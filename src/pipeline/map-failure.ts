import {
  CaldpError,
  type CaldpErrorOptions,
  CaldpMemoryError,
  errorForCode,
  OsMemoryError,
  SubprocessFailure,
  SubprocessMemoryError,
} from "../core/errors.js";
import type { ExitName } from "../core/exit-codes.js";
import { codedErrorFor } from "./error-exits.js";

// What a child prints when it runs out of memory: Python's MemoryError (what caldp-process greps
// process.txt for) and V8's fatal heap message for Node children.
const CHILD_MEMORY_ERROR = /\bMemoryError\b|JavaScript heap out of memory/;

/** V8/Node's catchable out-of-memory failures (a full JS heap itself aborts the process). */
function isJsMemoryExhaustion(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ERR_WORKER_OUT_OF_MEMORY" || code === "ERR_MEMORY_ALLOCATION_FAILED") return true;
  return error instanceof RangeError && /Array buffer allocation failed/i.test(error.message);
}

/** ENOMEM from the OS (a failed fork/spawn or mmap), CALDP's OSError("Cannot allocate memory"). */
function isOsMemoryError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (error as NodeJS.ErrnoException).code === "ENOMEM" || /Cannot allocate memory/.test(String(error));
}

/**
 * One line naming the failure: `RangeError: Array buffer allocation failed`. A system error whose message
 * does not name its path (EISDIR on a read, for one) gets the path appended.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error).split("\n")[0];
  const message = error.message.split("\n")[0];
  const path = (error as NodeJS.ErrnoException).path;
  const named = path && !message.includes(path) ? `${message} (${path})` : message;
  return `${error.name}: ${named}`;
}

/**
 * The whole chain on one line: each error and its causes, outermost first, joined by `: caused by `; a cause
 * whose text its parent already quotes is not repeated.
 */
export function describeChain(error: unknown): string {
  const parts: string[] = [];
  let previous = "";
  for (let f: unknown = error, depth = 0; f !== undefined && f !== null && depth < 8; depth++) {
    const text = describeFailure(f);
    const bare = f instanceof Error ? f.message.split("\n")[0] : text;
    if (depth === 0 || !previous.includes(bare)) parts.push(text);
    previous = text;
    f = f instanceof Error ? f.cause : undefined;
  }
  return parts.join(": caused by ");
}

/**
 * What CALDP's exit_on_exception does with a failure inside a block whose code is `stageCode`:
 * a CaldpError (already mapped by an inner block) passes unchanged; an error of a lower layer (io, previews)
 * gets the code error-exits.ts gives it; memory exhaustion becomes 32, ENOMEM 34,
 * a child that printed a MemoryError 31; a child killed by a signal gets the signal explained; anything
 * else becomes `stageCode`. `context` starts the one-line message (e.g. "Stage1 processing failed for j8cb010b0").
 */
export function mapFailure(error: unknown, stageCode: number | ExitName, context?: string): CaldpError {
  if (error instanceof CaldpError) return error;
  const coded = codedErrorFor(error);
  if (coded) return coded;
  const message = context ? `${context}: ${describeFailure(error)}` : describeFailure(error);
  const options: CaldpErrorOptions = { cause: error };
  if (isJsMemoryExhaustion(error)) return new CaldpMemoryError(message, options);
  if (isOsMemoryError(error)) return new OsMemoryError(message, options);
  if (error instanceof SubprocessFailure) {
    if (error.signalExplanation) options.exitDetails = [error.signalExplanation];
    if (CHILD_MEMORY_ERROR.test(error.outputTail)) return new SubprocessMemoryError(message, options);
  }
  return errorForCode(stageCode, message, options);
}

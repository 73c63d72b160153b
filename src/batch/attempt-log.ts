/**
 * What a failed attempt leaves for the operator. Its log is the child's whole output (`batch-child.txt`:
 * caldp-process echoes its three steps' logs there), kept as `control/<ds>/attempt-<n>.log` in the output
 * location (its last MiB: a calibration's output can be long). Its cause is read from that output: the
 * fatal report (the lines after the `Fatal Exception` divider, without the stack frames) or, when there is
 * none (a kill, a dry run), the last line that says something failed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JobRecord } from "./records.js";
import type { BatchStore } from "./store.js";

export const CHILD_OUTPUT = "batch-child.txt";
const KEPT_BYTES = 1024 * 1024;
const CAUSE_CHARS = 400;

function childOutput(cwd: string): Buffer | undefined {
  try {
    return readFileSync(join(cwd, CHILD_OUTPUT));
  } catch {
    return undefined;
  }
}

/** The class name in front of the fatal report's first line (`Stage1Error: …`). */
const CODED_CLASS = /^[A-Z]\w*Error: /;

const withoutLevel = (line: string) => line.replace(/^(ERROR|WARNING|INFO|DEBUG) - /, "").trim();

/**
 * The cause of a failure as one line, or undefined when the output says nothing about it. `fatalOnly`: only
 * a fatal report counts (a child the worker killed may have logged unrelated errors before).
 */
export function failureCause(cwd: string, fatalOnly = false): string | undefined {
  const lines = (childOutput(cwd)?.toString("utf8") ?? "").split("\n");
  const divider = lines.findLastIndex((l) => /-{3,} Fatal Exception -{3,}/.test(l));
  if (divider >= 0) {
    const parts: string[] = [];
    for (const raw of lines.slice(divider + 1)) {
      if (raw.startsWith("EXIT - ") || /^(ERROR - )?Hint: /.test(raw)) break;
      // the report's first line is the coded error, whose class the exit code already names
      const line = parts.length === 0 ? withoutLevel(raw).replace(CODED_CLASS, "") : withoutLevel(raw);
      if (line === "" || line.startsWith("at ") || line === "Caused by:") continue;
      // a cause's own line is often already part of the summary above it
      if (parts.some((p) => p.includes(line.replace(/^\w*Error: /, "")))) continue;
      parts.push(line);
    }
    if (parts.length) return shorten(parts.join(": "));
  }
  if (fatalOnly) return undefined;
  const said = lines.findLast((l) => !l.startsWith("EXIT - ") && /error|fatal|cannot|failed|refused/i.test(l));
  return said === undefined ? undefined : shorten(withoutLevel(said));
}

const shorten = (text: string) => (text.length > CAUSE_CHARS ? `${text.slice(0, CAUSE_CHARS - 1)}…` : text);

/** Stores the attempt's output in the output location; returns its path (file:) or URI (s3:), if any. */
export async function keepAttemptLog(store: BatchStore, record: JobRecord, cwd: string): Promise<string | undefined> {
  const output = childOutput(cwd);
  if (!output?.length) return undefined;
  const key = attemptLogKey(record.dataset, record.attempts.length);
  const omitted = output.length - KEPT_BYTES;
  const text =
    omitted > 0 ? Buffer.concat([Buffer.from(`[first ${omitted} bytes omitted]\n`), output.subarray(omitted)]) : output;
  await store.put(key, text);
  return logLocation(store, key);
}

export const attemptLogKey = (ds: string, attempt: number) => `control/${ds}/attempt-${attempt}.log`;

/** A key of the output location as an operator reaches it: a local path or an s3:// URI. */
export function logLocation(store: BatchStore, key: string): string {
  return store.uri.startsWith("file:") ? join(store.uri.slice("file:".length), key) : `${store.uri}/${key}`;
}

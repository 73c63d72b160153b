import { renameSync, writeFileSync } from "node:fs";

/** What GNU `time --verbose` reports about one command, in its units (seconds, kbytes, counts). */
export interface ResourceReport {
  command: string;
  userSeconds: number;
  systemSeconds: number;
  elapsedSeconds: number;
  maxRssKb: number;
  majorFaults: number;
  minorFaults: number;
  voluntarySwitches: number;
  involuntarySwitches: number;
  swaps: number;
  fsInputs: number;
  fsOutputs: number;
  socketSent: number;
  socketReceived: number;
  signalsDelivered: number;
  pageSize: number;
  /** The step's exit status. */
  exitStatus: number;
  /** Set when the step was killed by a signal. */
  signal?: number;
}

/** A timeval as GNU time keeps it: whole seconds and microseconds. */
function timeval(seconds: number): [number, number] {
  const micros = Math.max(0, Math.round(seconds * 1e6));
  return [Math.floor(micros / 1e6), micros % 1e6];
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** GNU time's `%U`/`%S`: seconds and truncated hundredths. */
function cpuSeconds(seconds: number): string {
  const [s, us] = timeval(seconds);
  return `${s}.${pad2(Math.floor(us / 10000))}`;
}

/** GNU time's `%E`: `h:mm:ss` from one hour on, else `m:ss.hh` (hundredths truncated). */
export function formatElapsed(seconds: number): string {
  const [s, us] = timeval(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
  return `${Math.floor(s / 60)}:${pad2(s % 60)}.${pad2(Math.floor(us / 10000))}`;
}

/** GNU time's `%P`: CPU milliseconds × 100 / elapsed milliseconds, integer, or `?%` for no elapsed time. */
function cpuPercent(r: ResourceReport): string {
  const ms = (seconds: number) => {
    const [s, us] = timeval(seconds);
    return s * 1000 + Math.floor(us / 1000);
  };
  const elapsed = ms(r.elapsedSeconds);
  if (elapsed <= 0) return "?%";
  return `${Math.floor(((ms(r.userSeconds) + ms(r.systemSeconds)) * 100) / elapsed)}%`;
}

/**
 * The text GNU time 1.9 writes with `--verbose -o file`: 23 tab-indented lines, preceded by
 * `Command exited with non-zero status N` on failure. For a step killed by a signal GNU time writes
 * `Command terminated by signal N` and, because it prints WEXITSTATUS, `Exit status: 0`; here the last
 * line says 128+N instead, so that nothing reading the last line takes a killed step for a success.
 */
export function formatTimeVerbose(r: ResourceReport): string {
  const status = r.signal !== undefined ? 128 + r.signal : r.exitStatus;
  const lines: string[] = [];
  if (r.signal !== undefined) lines.push(`Command terminated by signal ${r.signal}`);
  else if (r.exitStatus !== 0) lines.push(`Command exited with non-zero status ${r.exitStatus}`);
  const fields: [string, string | number][] = [
    ["Command being timed", `"${r.command}"`],
    ["User time (seconds)", cpuSeconds(r.userSeconds)],
    ["System time (seconds)", cpuSeconds(r.systemSeconds)],
    ["Percent of CPU this job got", cpuPercent(r)],
    ["Elapsed (wall clock) time (h:mm:ss or m:ss)", formatElapsed(r.elapsedSeconds)],
    ["Average shared text size (kbytes)", 0],
    ["Average unshared data size (kbytes)", 0],
    ["Average stack size (kbytes)", 0],
    ["Average total size (kbytes)", 0],
    ["Maximum resident set size (kbytes)", r.maxRssKb],
    ["Average resident set size (kbytes)", 0],
    ["Major (requiring I/O) page faults", r.majorFaults],
    ["Minor (reclaiming a frame) page faults", r.minorFaults],
    ["Voluntary context switches", r.voluntarySwitches],
    ["Involuntary context switches", r.involuntarySwitches],
    ["Swaps", r.swaps],
    ["File system inputs", r.fsInputs],
    ["File system outputs", r.fsOutputs],
    ["Socket messages sent", r.socketSent],
    ["Socket messages received", r.socketReceived],
    ["Signals delivered", r.signalsDelivered],
    ["Page size (bytes)", r.pageSize],
    ["Exit status", status],
  ];
  for (const [key, value] of fields) lines.push(`\t${key}: ${value}`);
  return `${lines.join("\n")}\n`;
}

/** Writes a metrics file atomically (a reader never sees half of it). */
export function writeMetricsFile(path: string, report: ResourceReport): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, formatTimeVerbose(report));
  renameSync(temp, path);
}

/** A metrics file read the way CALCLOUD's model_ingest reads it: by line index, not by key. */
export interface MetricsReading {
  /** The number on the last line (`Exit status: N`), or undefined if it is not there. */
  exitStatus: number | undefined;
  /** model_ingest's test on the last line: the text after the last `:` contains "0" (true for 10, 20, 40 too). */
  ingestAccepts: boolean;
  /** 0-based line 4, h:mm:ss or m:ss with the fraction dropped, in seconds (NaN if unreadable). */
  wallclockSeconds: number;
  /** 0-based line 9, in kbytes (NaN if unreadable). */
  maxRssKb: number;
}

export function readMetrics(text: string): MetricsReading {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  const last = lines.at(-1) ?? "";
  const statusText = last.split(":").at(-1) ?? "";
  const exit = /^\s*Exit status:\s*(-?\d+)\s*$/.exec(last);
  const field = (index: number) => (lines[index] ?? "").replace(/^\t/, "").split(": ").slice(1).join(": ");
  const clock = field(4).split(".")[0].split(":").reverse();
  const wallclockSeconds = clock.reduce((sum, part, i) => sum + Number(part) * [1, 60, 3600][i], 0);
  return {
    exitStatus: exit ? Number(exit[1]) : undefined,
    ingestAccepts: statusText.includes("0"),
    wallclockSeconds: clock.length > 3 || field(4) === "" ? Number.NaN : wallclockSeconds,
    maxRssKb: field(9) === "" ? Number.NaN : Number(field(9)),
  };
}

/**
 * The trailer (`.tra`) section and the log line of each step that ran, in the shape of hstcal's trailers
 * (PrSwitch: the switch and PERFORM, the step's HISTORY, the switch and its outcome), with the step's wall
 * and CPU time added. Pure text: the programs write it.
 */
import type { StepRecord } from "./steps.js";

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** What the step ended as, as its switch keyword says it (OMIT: the step found nothing to apply). */
function outcomeOf(record: StepRecord): string {
  return record.outcome ?? (record.state === "PERFORM" ? "COMPLETE" : record.state);
}

/** `DARKCORR COMPLETE (wall 0.120 s, CPU 0.118 s)`, with what it ran on. */
export function stepLogLine(record: StepRecord, on: string): string {
  return `${record.switch} ${outcomeOf(record)} ${on} (wall ${seconds(record.wallMs)}, CPU ${seconds(record.cpuMs)})`;
}

/** One section per step: `DARKCORR    PERFORM`, its HISTORY lines, `DARKCORR    COMPLETE`, its times. */
export function stepSections(records: readonly StepRecord[]): string[] {
  const lines: string[] = [];
  for (const record of records) {
    lines.push(`${record.switch.padEnd(12)}PERFORM`, ...record.history);
    lines.push(`${record.switch.padEnd(12)}${outcomeOf(record)}`);
    lines.push(`    wall ${seconds(record.wallMs)}, CPU ${seconds(record.cpuMs)} (process)`);
  }
  return lines;
}

/** The sections of a program phase over image sets: `ACS2D imset 1`, then its steps, for each. */
export function imsetSections(phase: string, perImset: readonly (readonly StepRecord[])[]): string[] {
  return perImset.flatMap((records, k) =>
    records.length === 0 ? [] : [`${phase} imset ${k + 1}`, ...stepSections(records)],
  );
}

/** Where `run` occurs in `lines` from `from` on, or -1. */
function indexOfRun(lines: readonly string[], run: readonly string[], from: number): number {
  for (let start = from; start + run.length <= lines.length; start++) {
    if (run.every((line, k) => lines[start + k] === line)) return start;
  }
  return -1;
}

/**
 * A phase's HISTORY in trailer form: each step's lines inside its section, the lines of no step (ACSCCD's
 * CCD parameters table, "Uncertainty array initialized.") where they were.
 */
export function historySections(history: readonly string[], records: readonly StepRecord[]): string[] {
  const lines: string[] = [];
  let at = 0;
  for (const record of records) {
    const start = indexOfRun(history, record.history, at);
    if (start >= 0) {
      lines.push(...history.slice(at, start));
      at = start + record.history.length;
    }
    lines.push(...stepSections([record]));
  }
  lines.push(...history.slice(at));
  return lines;
}

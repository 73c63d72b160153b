/**
 * The step table (in the shape of stpipe's Step.run): one descriptor per calibration step (its switch
 * keyword, phase, reference keywords, pure function, HISTORY wording) and what a program derives from a
 * table: the switches it reads, the reference keywords to resolve, "nothing to do", and running the steps
 * in order: the missing-reference check (one error naming keyword and step), a DUMMY reference skipping
 * the step, PERFORM → COMPLETE / SKIPPED with the HISTORY lines, and the wall and CPU time of each step
 * (StepRecord, for the log line and the trailer's section per step). Recording is the framework's; a
 * step's function only calibrates and says the state it ended in.
 */
import { CalibrationError } from "./errors.js";
import type { HeaderUpdates } from "./header-updates.js";
import { type SwitchState, switchUpdate, withPedigree } from "./switches.js";

export type StepPhase = "ccd" | "cte" | "2d" | "rej" | "ir";

export interface StepReference {
  keyword: string;
  kind: "image" | "table";
  /** May be N/A: the step runs without it (a keyword: when that keyword is in the header, e.g. PFLTFILE). */
  optional?: boolean | string;
  /** Checked, but not named in the step's HISTORY (ACSCCD's SATUFILE under BIASCORR). */
  unrecorded?: boolean;
}

/** A loaded reference as HISTORY names it. */
export interface RecordedReference {
  name: string;
  pedigree?: string;
  descrip?: string;
  rowDescrip?: string;
}

/** hstcal's HISTORY wording, which differs by instrument and program. */
export interface HistoryWording {
  /** The line after a step ended COMPLETE or SKIPPED (`cause`: the state that skipped it), or none. */
  switchLine(name: string, outcome: "COMPLETE" | "SKIPPED", cause: SwitchState): string | undefined;
  /** The lines naming a reference the step used (WFC3 names none for a skipped step). */
  referenceLines(kind: "image" | "table", ref: RecordedReference, outcome: "COMPLETE" | "SKIPPED"): string[];
}

export interface StepDescriptor<I> {
  /** The switch keyword (DARKCORR …), upper case as in the header. */
  switch: string;
  phase: StepPhase;
  /** The reference keywords the step needs when its switch is PERFORM, in HISTORY order. */
  references: readonly StepReference[];
  /** PERFORM on this switch alone gives the program something to do (else hstcal's NOTHING_TO_DO). */
  standalone?: boolean;
  /** The reference whose PEDIGREE = DUMMY… skips the step (SKIPPED), if any. */
  dummy?: string;
  /** The loaded references of the input, by keyword. */
  loaded?: (input: I) => Partial<Record<string, RecordedReference>>;
  /** The pure work; returns the state it ended in when not PERFORM (DUMMY, IGNORED; OMIT: nothing recorded). */
  run?: (input: I, updates: HeaderUpdates) => SwitchState | undefined;
  /** States besides PERFORM in which `run` is called (ACSCCD's DQICORR still flags saturation when DUMMY). */
  alsoRunsWhen?: readonly SwitchState[];
  /** HISTORY lines of what the step found, after its switch line and before its references. */
  notes?: (input: I) => string[];
  /** This step's own wording, where it differs from the table's. */
  wording?: Partial<HistoryWording>;
}

/** A step function's header changes and what happened to each step. */
export type StepUpdates = HeaderUpdates & { steps: StepRecord[] };

/** A step described by its switch, phase and references only (run by its own module, not by runSteps). */
export function describedStep(
  name: string,
  phase: StepPhase,
  references: StepReference[],
  standalone = false,
): StepDescriptor<never> {
  return { switch: name, phase, references, standalone };
}

/** What happened to one step: for the log line and the trailer's section. */
export interface StepRecord {
  switch: string;
  phase: StepPhase;
  /** The state the step ended in: PERFORM (done), DUMMY / IGNORED (skipped), OMIT. */
  state: SwitchState;
  /** The keyword value written (COMPLETE, SKIPPED), if any. */
  outcome?: "COMPLETE" | "SKIPPED";
  wallMs: number;
  cpuMs: number;
  /** HISTORY lines this step added. */
  history: string[];
}

/** Switch states keyed by their header keyword, spelled as the step table's `switch` (DARKCORR). */
export type Switches = object;

function stateOf(switches: Switches, keyword: string): SwitchState | undefined {
  return (switches as Readonly<Record<string, SwitchState | undefined>>)[keyword];
}

/** The switch keywords a table reads. */
export function switchKeywords(table: readonly StepDescriptor<never>[]): string[] {
  return [...new Set(table.map((s) => s.switch))];
}

/** The reference keywords the PERFORM switches need, in table order, each once (`always` first). */
export function neededReferences(
  table: readonly StepDescriptor<never>[],
  switches: Switches,
  always: readonly string[] = [],
): string[] {
  const needed = [...always];
  for (const step of table) {
    if (stateOf(switches, step.switch) === "PERFORM") needed.push(...step.references.map((r) => r.keyword));
  }
  return [...new Set(needed)];
}

/** Whether a reference keyword of the table may be N/A (`present`: whether the header has a keyword). */
export function isOptionalReference(
  table: readonly StepDescriptor<never>[],
  keyword: string,
  present: (keyword: string) => boolean,
): boolean {
  return table.some((s) =>
    s.references.some(
      (r) => r.keyword === keyword && (r.optional === true || (typeof r.optional === "string" && present(r.optional))),
    ),
  );
}

/** The image reference keywords of a phase's steps (to load into shared memory before the phase). */
export function imageReferences(table: readonly StepDescriptor<never>[], phase: StepPhase): string[] {
  const images = table.filter((s) => s.phase === phase).flatMap((s) => s.references.filter((r) => r.kind === "image"));
  return [...new Set(images.map((r) => r.keyword))];
}

/** Whether any standalone step would run. */
export function anythingToDo(table: readonly StepDescriptor<never>[], switches: Switches): boolean {
  return table.some((s) => s.standalone && stateOf(switches, s.switch) === "PERFORM");
}

/** hstcal's usual wording: "X complete ...", "X skipped due to dummy reference file ...", "X not performed ...". */
export function standardWording(referenceLines: HistoryWording["referenceLines"]): HistoryWording {
  return { switchLine: (name, _outcome, cause) => switchUpdate(name, cause).history, referenceLines };
}

export interface RunOptions {
  /** Write the switch keywords and HISTORY (hstcal: for the first image set only). */
  record: boolean;
  wording: HistoryWording;
}

/** Wall and CPU milliseconds of a function (CPU of the whole process: other threads' work counts too). */
function timed<T>(work: () => T): { value: T; wallMs: number; cpuMs: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
}

/** Runs the steps of a table whose switch is not OMIT or COMPLETE, in order, recording each. */
export function runSteps<I>(
  table: readonly StepDescriptor<I>[],
  input: I,
  switches: Switches,
  updates: HeaderUpdates,
  options: RunOptions,
): StepRecord[] {
  const records: StepRecord[] = [];
  for (const step of table) {
    const initial = stateOf(switches, step.switch) ?? "OMIT";
    if (initial === "OMIT" || initial === "COMPLETE") continue;
    const loaded = step.loaded?.(input) ?? {};
    if (initial === "PERFORM") requireReferences(step, loaded);
    let state = step.dummy ? withPedigree(initial, loaded[step.dummy]?.pedigree) : initial;
    const work = step.run;
    const { wallMs, cpuMs } = timed(() => {
      if ((state === "PERFORM" || step.alsoRunsWhen?.includes(state)) && work) state = work(input, updates) ?? state;
    });
    records.push(recordStep(step, input, state, loaded, updates, options, { wallMs, cpuMs }));
  }
  return records;
}

/**
 * A step whose work is awaited, because it runs on worker threads (ACSREJ, WF3REJ): its references
 * checked, its work timed, PERFORM → COMPLETE and its HISTORY recorded, as runSteps does for one step.
 */
export async function runAwaitedStep<I>(
  step: StepDescriptor<I>,
  input: I,
  updates: HeaderUpdates,
  options: RunOptions,
  work: () => Promise<void>,
): Promise<StepRecord> {
  const loaded = step.loaded?.(input) ?? {};
  requireReferences(step, loaded);
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  const time = { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
  return recordStep(step, input, "PERFORM", loaded, updates, options, time);
}

function recordStep<I>(
  step: StepDescriptor<I>,
  input: I,
  state: SwitchState,
  loaded: Partial<Record<string, RecordedReference>>,
  updates: HeaderUpdates,
  options: RunOptions,
  time: { wallMs: number; cpuMs: number },
): StepRecord {
  const history = options.record ? recordSwitch(step, input, state, loaded, updates, options.wording) : [];
  const outcome = switchUpdate(step.switch, state).value;
  return { switch: step.switch, phase: step.phase, state, outcome, ...time, history };
}

/** A reference a step needs, else one error naming the keyword and the step (CAL_FILE_MISSING). */
export function requiredReference<T>(value: T | undefined, keyword: string, step: string): T {
  if (value !== undefined) return value;
  throw new CalibrationError("CAL_FILE_MISSING", `${keyword} is needed by ${step} but was not given`, { step });
}

function requireReferences<I>(step: StepDescriptor<I>, loaded: Partial<Record<string, RecordedReference>>): void {
  if (!step.loaded) return;
  for (const ref of step.references)
    if (!ref.optional) requiredReference(loaded[ref.keyword], ref.keyword, step.switch);
}

/** hstcal UpdateSwitch + ImgHistory / TabHistory: the keyword, its line, then the references used. */
function recordSwitch<I>(
  step: StepDescriptor<I>,
  input: I,
  state: SwitchState,
  loaded: Partial<Record<string, RecordedReference>>,
  updates: HeaderUpdates,
  tableWording: HistoryWording,
): string[] {
  const outcome = switchUpdate(step.switch, state).value;
  if (outcome === undefined) return [];
  const wording = { ...tableWording, ...step.wording };
  updates.primary[step.switch] = outcome;
  const lines: string[] = [];
  const line = wording.switchLine(step.switch, outcome, state);
  if (line !== undefined) lines.push(line);
  if (step.notes) lines.push(...step.notes(input));
  for (const ref of step.references) {
    const found = ref.unrecorded ? undefined : loaded[ref.keyword];
    if (found) lines.push(...wording.referenceLines(ref.kind, found, outcome));
  }
  updates.history.push(...lines);
  return lines;
}

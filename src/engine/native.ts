/** The native calibration programs caldp-process can run, by instrument. */
import { calacs } from "./acs/calacs.js";
import { calcos } from "./cos/calcos.js";
import { calstis } from "./stis/calstis.js";
import { calwf3 } from "./wfc3/calwf3.js";

/** What a native program needs from its caller: the folder it calibrates in, the environment, a log. */
export interface NativeRun {
  dir: string;
  env: NodeJS.ProcessEnv;
  log: { echo(line: string): void; info(line: string): void };
}

/** A native calibration program: calibrates the named inputs (basenames in `run.dir`) there. */
export type NativeProgram = (inputs: string[], run: NativeRun) => Promise<void>;

type ProgramCall = (
  inputs: string[],
  options: { dir: string; env: NodeJS.ProcessEnv; log: (line: string) => void },
) => Promise<{ nothingToDo: string[] }>;

/** A program as caldp-process runs it: its log lines echoed, its nothing-to-do datasets said once each. */
function native(program: ProgramCall): NativeProgram {
  return async (inputs, ctx) => {
    const result = await program(inputs, { dir: ctx.dir, env: ctx.env, log: (line) => ctx.log.echo(line) });
    for (const root of result.nothingToDo) ctx.log.info(`${root}: NOTHING_TO_DO (no calibration switch is PERFORM)`);
  };
}

export const NATIVE_PROGRAMS: Partial<Record<string, NativeProgram>> = {
  acs: native(calacs),
  wfc3: native(calwf3),
  stis: native(calstis),
  cos: native(calcos),
};

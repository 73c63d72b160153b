/** The native calibration programs caldp-process can run, by instrument. */
import { calacs } from "./acs/calacs.js";
import { calcos } from "./cos/calcos.js";
import { calwf3 } from "./wfc3/calwf3.js";

/** What a native program needs from its caller: the folder it calibrates in, the environment, a log. */
export interface NativeRun {
  dir: string;
  env: NodeJS.ProcessEnv;
  log: { echo(line: string): void; info(line: string): void };
}

/** A native calibration program: calibrates the named inputs (basenames in `run.dir`) there. */
export type NativeProgram = (inputs: string[], run: NativeRun) => Promise<void>;

export const NATIVE_PROGRAMS: Partial<Record<string, NativeProgram>> = {
  acs: async (inputs, ctx) => {
    const result = await calacs(inputs, { dir: ctx.dir, env: ctx.env, log: (line) => ctx.log.echo(line) });
    for (const root of result.nothingToDo) ctx.log.info(`${root}: NOTHING_TO_DO (no calibration switch is PERFORM)`);
  },
  cos: async (inputs, ctx) => {
    const result = await calcos(inputs, { dir: ctx.dir, env: ctx.env, log: (line) => ctx.log.echo(line) });
    for (const root of result.nothingToDo) ctx.log.info(`${root}: NOTHING_TO_DO (no calibration switch is PERFORM)`);
  },
  wfc3: async (inputs, ctx) => {
    const result = await calwf3(inputs, { dir: ctx.dir, env: ctx.env, log: (line) => ctx.log.echo(line) });
    for (const root of result.nothingToDo) ctx.log.info(`${root}: NOTHING_TO_DO (no calibration switch is PERFORM)`);
  },
};

/** The native calibration programs caldp-process can run, by instrument. */
import type { NativeProgram } from "../pipeline/managers.js";
import { calacs } from "./acs/calacs.js";
import { calwf3 } from "./wfc3/calwf3.js";

export const NATIVE_PROGRAMS: Partial<Record<string, NativeProgram>> = {
  acs: async (inputs, ctx) => {
    const result = await calacs(inputs, { dir: ctx.dir, env: ctx.env, log: (line) => ctx.log.echo(line) });
    for (const root of result.nothingToDo) ctx.log.info(`${root}: NOTHING_TO_DO (no calibration switch is PERFORM)`);
  },
  wfc3: async (inputs, ctx) => {
    const result = await calwf3(inputs, { dir: ctx.dir, env: ctx.env, log: (line) => ctx.log.echo(line) });
    for (const root of result.nothingToDo) ctx.log.info(`${root}: NOTHING_TO_DO (no calibration switch is PERFORM)`);
  },
};

// Functions run by test/engine/worker-pool.test.ts inside worker threads.
import { threadId } from "node:worker_threads";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { FitsError } from "../../src/fits/index.js";

export function scale(args: { data: Float32Array; factor: number }): { data: Float32Array; thread: number } {
  for (let i = 0; i < args.data.length; i++) args.data[i] *= args.factor;
  return { data: args.data, thread: threadId };
}

export function fail(args: { message: string }): never {
  throw Object.assign(new RangeError(args.message), { code: "E_TEST" });
}

export function failCalibration(args: { message: string; step?: string }): never {
  throw new CalibrationError("CAL_FILE_MISSING", args.message, { step: args.step });
}

export function failFits(args: { file: string }): never {
  throw new FitsError("MISSING_KEYWORD", "EXPTIME is missing", { file: args.file, hdu: 0, keyword: "EXPTIME" });
}

export function whoAmI(_args: Record<string, never>): number {
  return threadId;
}

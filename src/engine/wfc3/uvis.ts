import type { Env } from "../reference-files.js";

export interface UvisRunOptions {
  dir: string;
  env: Env;
  calVer: string;
  workers?: number;
  log: (line: string) => void;
}

export async function calibrateUvis(
  _roots: string[],
  _product: { root: string; mtype: string } | undefined,
  _options: UvisRunOptions,
): Promise<{ outputs: string[]; nothingToDo: string[] }> {
  throw new Error("UVIS not yet");
}

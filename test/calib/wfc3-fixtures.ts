import type { Wf3CcdParameters } from "../../src/calib/wfc3/ccdtab.js";

/** CCDTAB parameters of a single-amp (C, chip 2) UVIS readout at gain 1.5, with the fields a test changes. */
export function uvisParameters(over: Partial<Wf3CcdParameters> = {}): Wf3CcdParameters {
  return {
    ccdamp: "C",
    ccdchip: 2,
    ccdgain: 1.5,
    ccdbias: [0, 0, 0, 0],
    atodgain: [1.5, 1.5, 1.5, 1.5],
    readnoise: [3, 3, 3, 3],
    ampx: 0,
    ampy: 0,
    saturate: 60000,
    meanGain: 1.5,
    ...over,
  };
}

/** What the CR rejections' per-row kernels (reject-kernels.ts) offer, in WebAssembly or in TypeScript. */

/** Offsets are in bytes; 0 stands for "none" where a buffer is optional. f32 arguments are rounded to float. */
export interface RejectKernels {
  loadRates(sci: number, rates: number, n: number, sky: number, efac: number): void;
  spillFromErrors(err: number, spill: number, n: number, sig2: number, exp2n: number): void;
  excludeFlagged(mask: number, snapshot: number, n: number, dqpat: number): void;
  testRowAcs(
    n: number,
    ny: number,
    ringRows: number,
    line: number,
    width: number,
    rej2: number,
    psig2: number,
    sig2: number,
    scale: number,
    efacn: number,
    exp2n: number,
    rates: number,
    err: number,
    spill: number,
    ave: number,
    mask: number,
    shadcorr: number,
  ): void;
  testRowThresholds(
    n: number,
    ny: number,
    ringRows: number,
    line: number,
    width: number,
    rej2: number,
    psig2: number,
    rates: number,
    spill: number,
    ave: number,
    mask: number,
    thresh: number,
  ): void;
  accumulateRow(
    n: number,
    maskdq: number,
    efacn: number,
    rates: number,
    mask: number,
    err: number,
    sum: number,
    efacsum: number,
    err2: number,
  ): void;
  averageRow(
    n: number,
    last: boolean,
    acs: boolean,
    exptot: number,
    sum: number,
    efacsum: number,
    err2: number,
    shading: number,
    ave: number,
    errOut: number,
  ): void;
  noiseThresholds(
    from: number,
    to: number,
    efacn: number,
    sky: number,
    sig2: number,
    scale: number,
    exp2n: number,
    readVariance: number,
    gain: number,
    ave: number,
    shadcorr: number,
    thresh: number,
    spill: number,
  ): void;
  flagRow(n: number, snapshot: number, dq2: number, dq: number, mask: number, inputDq: number, flagged: number): number;
}

export interface RejectMemory {
  kernels: RejectKernels;
  kind: "wasm" | "typescript";
  /** Grows the memory to at least `bytes` (views made before may be detached) and returns its buffer. */
  reserve(bytes: number): ArrayBuffer;
}

/**
 * Where ACSREJ's and WF3REJ's iterations keep their rows in the kernels' memory (reject-kernels.ts): for each
 * exposed image, rings of 2·CRRADIUS + 1 rows (row y at slot y mod ringRows) of rates, masks, SPILL thresholds
 * and, for ACSREJ, ERR; one ring of the average; and one row of each accumulator. Each region has its byte
 * offset for the kernels and a view for the TypeScript around them.
 */
import { Arena, type RejectKernels, type RejectMemory, rejectMemory } from "./reject-kernels.js";

export interface F32Region {
  at: number;
  view: Float32Array;
}

export interface U16Region {
  at: number;
  view: Uint16Array;
}

export interface ImageRings {
  rates: F32Region;
  mask: U16Region;
  spill: F32Region;
  /** ACSREJ only (an empty region for WF3REJ). */
  err: F32Region;
  /** The rows' DQ as read (the CR flags are set in it by the last iteration's flagRow). */
  dq: U16Region;
}

export interface RejectRings {
  kernels: RejectKernels;
  nx: number;
  ringRows: number;
  /** Per image, undefined for an image that takes no part. */
  images: (ImageRings | undefined)[];
  ave: F32Region;
  sum: F32Region;
  efacsum: F32Region;
  /** Σ ERR² (ACSREJ) or Σ variance (WF3REJ). */
  err2: F32Region;
  thresh: F32Region;
  shadcorr: F32Region;
  /** A row of input (SCI, shading) on its way into a kernel. */
  stage: F32Region;
  errOut: F32Region;
  snapshot: U16Region;
  dq2: U16Region;
  /** A row of the output DQ and of an input's DQ on their way through flagRow. */
  dqRow: U16Region;
  inputDq: U16Region;
}

export function rejectRings(
  nx: number,
  ringRows: number,
  exposed: readonly boolean[],
  withErr: boolean,
  kind?: RejectMemory["kind"],
): RejectRings {
  const memory = rejectMemory(kind);
  const arena = new Arena(memory);
  const ring = ringRows * nx;
  const f32 = (length: number) => ({ at: arena.take(length, 4), length });
  const u16 = (length: number) => ({ at: arena.take(length, 2), length });
  const plans = exposed.map((on) =>
    on
      ? { rates: f32(ring), mask: u16(ring), spill: f32(ring), err: f32(withErr ? ring : 0), dq: u16(ring) }
      : undefined,
  );
  const rows = {
    ave: f32(ring),
    sum: f32(nx),
    efacsum: f32(nx),
    err2: f32(nx),
    thresh: f32(nx),
    shadcorr: f32(nx),
    stage: f32(nx),
    errOut: f32(nx),
    snapshot: u16(nx),
    dq2: u16(nx),
    dqRow: u16(nx),
    inputDq: u16(nx),
  };
  arena.commit();
  const asF32 = (r: { at: number; length: number }): F32Region => ({ at: r.at, view: arena.f32(r.at, r.length) });
  const asU16 = (r: { at: number; length: number }): U16Region => ({ at: r.at, view: arena.u16(r.at, r.length) });
  return {
    kernels: memory.kernels,
    nx,
    ringRows,
    images: plans.map((p) =>
      p
        ? { rates: asF32(p.rates), mask: asU16(p.mask), spill: asF32(p.spill), err: asF32(p.err), dq: asU16(p.dq) }
        : undefined,
    ),
    ave: asF32(rows.ave),
    sum: asF32(rows.sum),
    efacsum: asF32(rows.efacsum),
    err2: asF32(rows.err2),
    thresh: asF32(rows.thresh),
    shadcorr: asF32(rows.shadcorr),
    stage: asF32(rows.stage),
    errOut: asF32(rows.errOut),
    snapshot: asU16(rows.snapshot),
    dq2: asU16(rows.dq2),
    dqRow: asU16(rows.dqRow),
    inputDq: asU16(rows.inputDq),
  };
}

/** The slot (first element) of row y in the rings. */
export function slotOf(r: RejectRings, y: number): number {
  return (y % r.ringRows) * r.nx;
}

/** Row y of the average (the whole image) into its ring. */
export function loadAverageRow(r: RejectRings, ave: Float32Array, y: number): void {
  r.ave.view.set(ave.subarray(y * r.nx, (y + 1) * r.nx), slotOf(r, y));
}

/** Row y's DQ and mask from the input DQ row, and its rates (SCI − sky) / EXPTIME, into the image's rings. */
export function loadMaskAndRates(
  r: RejectRings,
  rings: ImageRings,
  y: number,
  sci: Float32Array,
  dq: Uint16Array,
  sky: number,
  efac: number,
): void {
  const { nx } = r;
  const slot = slotOf(r, y);
  rings.dq.view.set(dq, slot);
  rings.mask.view.set(dq, slot);
  r.stage.view.set(sci);
  r.kernels.loadRates(r.stage.at, rings.rates.at + 4 * slot, nx, sky, efac);
}

/** Zeroes the row accumulators. */
export function clearRow(r: RejectRings): void {
  r.sum.view.fill(0);
  r.efacsum.view.fill(0);
  r.err2.view.fill(0);
  r.dq2.view.fill(0);
}

/**
 * Last iteration: the output DQ of the row (in `dq` at `row`), and with CRMASK the CR flags of the image's DQ
 * on its first `flagged` columns, from the image's mask at `slot` (kernel flagRow), handed to `putDq` (the
 * image's DQ row as read, with its flags). Returns the row's rejections.
 */
export function flagRow(
  r: RejectRings,
  rings: ImageRings,
  slot: number,
  dq: Uint16Array,
  row: number,
  flagged: number,
  putDq: (dqRow: Uint16Array) => void,
): number {
  const { nx } = r;
  r.dqRow.view.set(dq.subarray(row, row + nx));
  const inputDq = rings.dq.view.subarray(slot, slot + nx);
  if (flagged > 0) r.inputDq.view.set(inputDq);
  const mask = rings.mask.at + 2 * slot;
  const nrej = r.kernels.flagRow(nx, r.snapshot.at, r.dq2.at, r.dqRow.at, mask, r.inputDq.at, flagged);
  dq.set(r.dqRow.view, row);
  if (flagged > 0) {
    inputDq.set(r.inputDq.view.subarray(0, flagged));
    putDq(inputDq);
  }
  return nrej;
}

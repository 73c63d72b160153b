/**
 * The mask values of a CR rejection's iterations and the last iteration's DQ of one line, shared by ACSREJ
 * (cr-reject-loop.ts) and WF3REJ (calib/wfc3/uvis-reject-loop.ts). Follows hstcal (BSD-3-Clause, AURA),
 * acsrej/wf3rej rej_loop.c.
 */
export const HIT = 8;
export const SPILL = 2;
export const EXCLUDE = 4;
export const CR = 8192;

/** One line's output DQ state: the image's DQ snapshot, the running OR of the inputs' DQ, the output DQ. */
export interface FlagLineState {
  nx: number;
  snapshot: Uint16Array;
  /** hstcal's dq2, at `dq2Start + i` for column i. */
  dq2: Uint16Array;
  /** Output DQ, at `row + i`. */
  dq: Uint16Array;
}

/**
 * Last iteration: the output DQ (the OR of the inputs' DQ without CR and SPILL bits; CR stays only where no
 * input was kept) and, with CRMASK, the image's CR flags on its first `flagged` columns. The line is at `row`
 * of the images and at `maskStart` of the mask (the rejections keep only a few rows of masks). Returns the
 * line's rejections.
 */
export function flagLine(
  s: FlagLineState,
  dq2Start: number,
  row: number,
  inputDq: Uint16Array,
  mask: Uint16Array,
  maskStart: number,
  flagged: number,
): number {
  const { nx, snapshot, dq2, dq } = s;
  let nrej = 0;
  for (let i = 0; i < nx; i++) {
    const k = row + i;
    let own = (snapshot[i]! | dq2[dq2Start + i]!) & ~CR & ~SPILL & 0xffff;
    let combined = own | dq[k]!;
    const m = mask[maskStart + i];
    if (m === HIT || m === SPILL) {
      own |= CR;
      nrej++;
    } else {
      combined &= ~CR;
    }
    dq2[dq2Start + i] = own;
    dq[k] = combined;
    if (i < flagged) inputDq[k] = (own & CR) !== 0 ? inputDq[k]! | CR : inputDq[k]! & ~CR;
  }
  return nrej;
}

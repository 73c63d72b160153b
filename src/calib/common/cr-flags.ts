/**
 * The mask values of a CR rejection's iterations, shared by ACSREJ (cr-reject-loop.ts), WF3REJ
 * (calib/wfc3/uvis-reject-loop.ts) and their kernels (reject-kernels-ts.ts; wasm/reject-kernels.ts has its own
 * copy). Follows hstcal (BSD-3-Clause, AURA), acsrej/wf3rej rej_loop.c.
 */
export const HIT = 8;
export const SPILL = 2;
export const EXCLUDE = 4;
export const CR = 8192;

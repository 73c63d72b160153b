// AssemblyScript (compiled by scripts/build-wasm.mjs into dist/calib/common/reject-kernels.wasm): the per-row
// kernels (reject-tests.ts, reject-sums.ts) of ACSREJ's and WF3REJ's iterations (src/calib/common/cr-reject-loop.ts,
// src/calib/wfc3/uvis-reject-loop.ts) on buffers the caller lays out in this module's memory. src/calib/common/reject-kernels-ts.ts is the same in
// TypeScript, for CALDP_WASM=0; both must give the same bits. Arithmetic is float where hstcal's is (f32, each
// operation rounded), double where the TypeScript keeps a double between operations; f32x4 lanes round as
// scalar f32 operations do, so the vector paths equal the scalar ones. Algorithms follow hstcal
// (BSD-3-Clause, AURA), acsrej/wf3rej rej_loop.c.

export { accumulateRow, averageRow, flagRow } from "./reject-sums";
export {
  excludeFlagged,
  loadRates,
  noiseThresholds,
  spillFromErrors,
  testRowAcs,
  testRowThresholds,
} from "./reject-tests";

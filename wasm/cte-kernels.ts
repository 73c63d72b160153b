// AssemblyScript (compiled by scripts/build-wasm.mjs into dist/calib/common/cte/cte-kernels.wasm): the CTE
// corrections' hot loops on buffers the caller lays out in this module's memory (src/calib/common/cte/cte-kernels.ts):
// the forward readouts of a column (cte-readout.ts), a round of ACS's read-noise smoothing (cte-smoothing.ts) and
// WF3CTE's read-noise mitigation of a column (cte-noise.ts).
// Their TypeScript twins (CALDP_WASM=0) must give the same bits.

export { acsCorrectColumn } from "./cte-inversion";
export { removeColumnReadNoise } from "./cte-noise";
export { acsReadout, uvisReadout } from "./cte-readout";
export { smoothRound } from "./cte-smoothing";

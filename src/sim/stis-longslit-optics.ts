/**
 * The shape of a simulated first-order long-slit mode: every constant and function that
 * stis-longslit-model.ts exports for the CCD's G430L, which stis-mama-longslit-model.ts exports for the
 * FUV-MAMA's G140L. The scene and table writers take one (G430L by default).
 */
import type * as G430L from "./stis-longslit-model.js";

type Widen<T> = T extends string ? string : T extends number ? number : T;
export type LongSlitOptics = { [K in keyof typeof G430L]: Widen<(typeof G430L)[K]> };

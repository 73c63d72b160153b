// The mask values of the rejections' iterations (src/calib/common/cr-flags.ts has the TypeScript's).
export const HIT: u16 = 8;
export const SPILL: u16 = 2;
export const EXCLUDE: u16 = 4;
export const CR: u16 = 8192;

/** The numerical helpers of cdrizzle, with C's float (binary32) rounding where the C code uses float. */

export const f32 = Math.fround;

/** Fortran's NINT as cdrizzle's fortran_round: halves away from zero. */
export function fortranRound(x: number): number {
  return x >= 0 ? Math.floor(x + 0.5) : -Math.floor(0.5 - x);
}

/**
 * A one-sided Lanczos table, lut[0] the centre, sampled every `step` pixels (cdrizzle's create_lanczos_lut: the
 * argument is a float, the ratio argument/order too, the value stored as float).
 */
export function lanczosTable(order: number, size: number, step: number): Float32Array {
  const lut = new Float32Array(size);
  const del = f32(step);
  lut[0] = 1;
  for (let i = 1; i < size; i++) {
    const poff = f32(Math.PI * f32(i) * del);
    if (poff < Math.PI * order) {
      const q = f32(poff / order);
      lut[i] = ((Math.sin(poff) / poff) * Math.sin(q)) / q;
    }
  }
  return lut;
}

/** The bit of input image `uniqid` (1-based) inside its 32-bit context plane. */
export function contextBit(uniqid: number): number {
  return 1 << ((uniqid - 1) % 32);
}

/** The context plane that holds input image `uniqid` (1-based). */
export function contextPlane(uniqid: number): number {
  return Math.floor((uniqid - 1) / 32);
}

/** How many 32-bit context planes `images` inputs need. */
export function contextPlanesFor(images: number): number {
  return Math.max(1, Math.ceil(images / 32));
}

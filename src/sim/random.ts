/**
 * Seeded random numbers for the simulator: xorshift128+ on 32-bit halves (no BigInt, so it is fast),
 * normals by the ziggurat method, Poisson exactly for small means and by the normal
 * approximation for large ones. Streams are forked by label so that each part of a simulation draws
 * from its own sequence, whatever order the parts run in.
 */
export class Random {
  private s0h: number;
  private s0l: number;
  private s1h: number;
  private s1l: number;

  constructor(seed: number | string) {
    const words = splitmix32(typeof seed === "number" ? seed >>> 0 : hashString(seed), 4);
    this.s0h = words[0];
    this.s0l = words[1];
    this.s1h = words[2];
    this.s1l = words[3] | 1;
  }

  /** An independent stream named by `label` (same seed and label → same stream). */
  fork(label: string): Random {
    return new Random(hashString(`${this.s0h}:${this.s0l}:${this.s1h}:${this.s1l}/${label}`));
  }

  /** Advances xorshift128+ and leaves the 64-bit sum in (sumHi, sumLo). */
  private step(): void {
    // s1 ^= s1 << 23; s1 ^= s1 >> 17; s1 ^= s0 ^ (s0 >> 26); result = s0 + s1 (64-bit words as hi/lo)
    let xh = this.s0h;
    let xl = this.s0l;
    const yh = this.s1h;
    const yl = this.s1l;
    this.s0h = yh;
    this.s0l = yl;
    xh ^= (xh << 23) | (xl >>> 9);
    xl ^= xl << 23;
    xl ^= (xl >>> 17) | (xh << 15);
    xh ^= xh >>> 17;
    xh ^= yh ^ (yh >>> 26);
    xl ^= yl ^ ((yl >>> 26) | (yh << 6));
    this.s1h = xh;
    this.s1l = xl;
    const lo = (xl >>> 0) + (yl >>> 0);
    this.sumLo = lo >>> 0;
    this.sumHi = ((xh >>> 0) + (yh >>> 0) + (lo > 0xffffffff ? 1 : 0)) >>> 0;
  }

  private sumHi = 0;
  private sumLo = 0;

  /** A uniform number in [0, 1) with 53 random bits. */
  uniform(): number {
    this.step();
    return ((this.sumHi >>> 6) * 134217728 + (this.sumLo >>> 5)) / 9007199254740992;
  }

  /** 32 random bits as a signed integer (the high word of the generator's output). */
  int32(): number {
    this.step();
    return this.sumHi | 0;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal deviate (Marsaglia and Tsang's ziggurat, 128 layers). */
  normal(): number {
    let hz = this.int32();
    let iz = hz & 127;
    if (Math.abs(hz) < ZIGGURAT.k[iz]) return hz * ZIGGURAT.w[iz];
    for (;;) {
      const x = hz * ZIGGURAT.w[iz];
      if (iz === 0) {
        // the tail beyond r, by Marsaglia's exponential method
        let tx: number;
        let ty: number;
        do {
          tx = -Math.log(1 - this.uniform()) / ZIGGURAT_R;
          ty = -Math.log(1 - this.uniform());
        } while (ty + ty < tx * tx);
        return hz > 0 ? ZIGGURAT_R + tx : -ZIGGURAT_R - tx;
      }
      if (ZIGGURAT.f[iz] + this.uniform() * (ZIGGURAT.f[iz - 1] - ZIGGURAT.f[iz]) < Math.exp(-0.5 * x * x)) return x;
      hz = this.int32();
      iz = hz & 127;
      if (Math.abs(hz) < ZIGGURAT.k[iz]) return hz * ZIGGURAT.w[iz];
    }
  }

  /**
   * A Poisson deviate: exact below mean 20 (multiplication of uniforms below 10, Hörmann's PTRS
   * above), a rounded normal above (skewness < 0.23, and the simulated pixels add read noise).
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean >= NORMAL_POISSON_MEAN) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    if (mean < 10) {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = this.uniform();
      while (p > limit) {
        k++;
        p *= this.uniform();
      }
      return k;
    }
    const root = Math.sqrt(mean);
    const logMean = Math.log(mean);
    const b = 0.931 + 2.53 * root;
    const a = -0.059 + 0.02483 * b;
    const logAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + logAlpha - Math.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial(k)) return k;
    }
  }

  /** A log-uniform number in [low, high). */
  logUniform(low: number, high: number): number {
    return low * Math.exp(this.uniform() * Math.log(high / low));
  }
}

const NORMAL_POISSON_MEAN = 20;

/** Where the ziggurat's base layer meets the tail. */
const ZIGGURAT_R = 3.442619855899;

/** Layer tables of the 128-layer ziggurat for the normal density (Marsaglia and Tsang 2000). */
const ZIGGURAT = (() => {
  const k = new Float64Array(128);
  const w = new Float64Array(128);
  const f = new Float64Array(128);
  const m1 = 2147483648;
  const area = 9.91256303526217e-3;
  let d = ZIGGURAT_R;
  let t = d;
  const q = area / Math.exp(-0.5 * d * d);
  k[0] = (d / q) * m1;
  k[1] = 0;
  w[0] = q / m1;
  w[127] = d / m1;
  f[0] = 1;
  f[127] = Math.exp(-0.5 * d * d);
  for (let i = 126; i >= 1; i--) {
    d = Math.sqrt(-2 * Math.log(area / d + Math.exp(-0.5 * d * d)));
    k[i + 1] = (d / t) * m1;
    t = d;
    f[i] = Math.exp(-0.5 * d * d);
    w[i] = d / m1;
  }
  return { k, w, f };
})();

const LOG_FACTORIALS = (() => {
  const table = new Float64Array(256);
  for (let k = 2; k < 256; k++) table[k] = table[k - 1] + Math.log(k);
  return table;
})();

/** ln k! (a table below 256, Stirling's series above). */
function logFactorial(k: number): number {
  if (k < 256) return LOG_FACTORIALS[k];
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/** FNV-1a hash of a string to 32 bits. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `count` well-mixed 32-bit words from a seed (splitmix32). */
function splitmix32(seed: number, count: number): number[] {
  const out: number[] = [];
  let state = seed | 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out.push((z ^ (z >>> 16)) | 0);
  }
  return out;
}

/**
 * The CR rejections' per-row kernels in TypeScript (CALDP_WASM=0): the same functions, on the same byte offsets
 * of a plain ArrayBuffer, as the WebAssembly module built from wasm/reject-kernels.ts; see there what each
 * computes. Both must give the same bits (test/calib/reject-kernels.test.ts): f32 arguments and operations are
 * Math.fround'ed one by one, the double ones are left as doubles, exactly where the AssemblyScript has f32 and f64.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), acsrej/wf3rej rej_loop.c.
 */
import { CR, EXCLUDE, HIT, SPILL } from "./cr-flags.js";
import type { RejectKernels, RejectMemory } from "./reject-kernel-types.js";

const f = Math.fround;

/** The WebAssembly functions take their f32 arguments rounded to float: so do these. */
type Six = [number, number, number, number, number, number];

/** Memory and kernels for one thread; the buffer is replaced (and its content dropped) when it must grow. */
export function typeScriptRejectMemory(): RejectMemory {
  let buffer = new ArrayBuffer(0);
  let f32 = new Float32Array(buffer);
  let u16 = new Uint16Array(buffer);

  function markSpill(
    n: number,
    ny: number,
    ringRows: number,
    line: number,
    i: number,
    width: number,
    rej2: number,
    psig2: number,
    rates: number,
    spill: number,
    ave: number,
    mask: number,
  ): void {
    for (let jj = 0; jj <= 2 * width; jj++) {
      const y = line - width + jj;
      if (y < 0 || y >= ny) continue;
      const j2 = (width - jj) * (width - jj);
      const slot = (y % ringRows) * n;
      for (let x = i - width; x <= i + width; x++) {
        if ((x - i) * (x - i) + j2 > rej2) continue;
        if (x < 0 || x >= n) continue;
        const r = slot + x;
        const d = f(f32[(rates >> 2) + r]! - f32[(ave >> 2) + r]!);
        if (f(d * d) <= f(psig2 * f32[(spill >> 2) + r]!)) continue;
        if (u16[(mask >> 1) + r] !== HIT) u16[(mask >> 1) + r] = SPILL;
      }
    }
  }

  const kernels: RejectKernels = {
    loadRates(sci, rates, n, sky, efac) {
      [sky, efac] = [f(sky), f(efac)];
      const s = sci >> 2;
      const r = rates >> 2;
      for (let i = 0; i < n; i++) f32[r + i] = f(f32[s + i]! - sky) / efac;
    },
    spillFromErrors(err, spill, n, sig2, exp2n) {
      [sig2, exp2n] = [f(sig2), f(exp2n)];
      const e0 = err >> 2;
      const s0 = spill >> 2;
      for (let i = 0; i < n; i++) {
        const e = f32[e0 + i]!;
        f32[s0 + i] = f(f(sig2 * f(e * e)) / exp2n);
      }
    },
    excludeFlagged(mask, snapshot, n, dqpat) {
      const m = mask >> 1;
      const s = snapshot >> 1;
      u16.copyWithin(s, m, m + n);
      for (let i = 0; i < n; i++) {
        const v = u16[s + i]!;
        if ((v & dqpat) !== 0 && v !== SPILL) u16[m + i] = EXCLUDE;
      }
    },
    testRowAcs(
      n,
      ny,
      ringRows,
      line,
      width,
      rej2,
      psig2,
      sig2,
      scale,
      efacn,
      exp2n,
      rates,
      err,
      spill,
      ave,
      mask,
      shadcorr,
    ) {
      [rej2, psig2, sig2, scale, efacn, exp2n] = [rej2, psig2, sig2, scale, efacn, exp2n].map(f) as Six;
      const slot = (line % ringRows) * n;
      for (let i = 0; i < n; i++) {
        const a = f32[(ave >> 2) + slot + i]!;
        const d = f(f32[(rates >> 2) + slot + i]! - a);
        const e = f32[(err >> 2) + slot + i]!;
        let signal = f(a * efacn);
        if (shadcorr !== 0) signal = f(signal / f32[(shadcorr >> 2) + i]!);
        // biome-ignore lint/complexity/useMathMinMax: NaN and -0 give 0, as in the WebAssembly and hstcal
        const t = f(scale * (signal > 0 ? signal : 0));
        const threshold = f(f(sig2 * f(f(e * e) + f(t * t))) / exp2n);
        if (!(f(d * d) > threshold) || u16[(mask >> 1) + slot + i] === EXCLUDE) continue;
        u16[(mask >> 1) + slot + i] = HIT;
        if (width > 0) markSpill(n, ny, ringRows, line, i, width, rej2, psig2, rates, spill, ave, mask);
      }
    },
    testRowThresholds(n, ny, ringRows, line, width, rej2, psig2, rates, spill, ave, mask, thresh) {
      [rej2, psig2] = [f(rej2), f(psig2)];
      const slot = (line % ringRows) * n;
      for (let i = 0; i < n; i++) {
        const d = f(f32[(rates >> 2) + slot + i]! - f32[(ave >> 2) + slot + i]!);
        if (!(f(d * d) > f32[(thresh >> 2) + i]!) || u16[(mask >> 1) + slot + i] === EXCLUDE) continue;
        u16[(mask >> 1) + slot + i] = HIT;
        if (width > 0) markSpill(n, ny, ringRows, line, i, width, rej2, psig2, rates, spill, ave, mask);
      }
    },
    accumulateRow(n, maskdq, efacn, rates, mask, err, sum, efacsum, err2) {
      efacn = f(efacn);
      for (let i = 0; i < n; i++) {
        if ((u16[(mask >> 1) + i]! & maskdq) !== 0) continue;
        const s = (sum >> 2) + i;
        f32[s] = f(f32[s]! + f(f32[(rates >> 2) + i]! * efacn));
        f32[(efacsum >> 2) + i] = f(f32[(efacsum >> 2) + i]! + efacn);
        if (err2 === 0) continue;
        const e = f32[(err >> 2) + i]!;
        f32[(err2 >> 2) + i] = f(f32[(err2 >> 2) + i]! + f(e * e));
      }
    },
    averageRow(n, last, acs, exptot, sum, efacsum, err2, shading, ave, errOut) {
      exptot = f(exptot);
      for (let i = 0; i < n; i++) {
        const exposure = f32[(efacsum >> 2) + i]!;
        if (exposure > 0) {
          let rate = f(f32[(sum >> 2) + i]! / exposure);
          if (shading !== 0) rate = f(rate / f(1 + f(f32[(shading >> 2) + i]! / exposure)));
          f32[(ave >> 2) + i] = rate;
          if (!last) continue;
          const root = Math.sqrt(f32[(err2 >> 2) + i]!);
          f32[(errOut >> 2) + i] = acs ? f(exptot / exposure) * root : root / exposure;
        } else if (last) {
          f32[(ave >> 2) + i] = 0;
          f32[(errOut >> 2) + i] = 0;
        }
      }
    },
    noiseThresholds(from, to, efacn, sky, sig2, scale, exp2n, readVariance, gain, ave, shadcorr, thresh, spill) {
      [efacn, sky, sig2, scale, exp2n, readVariance] = [efacn, sky, sig2, scale, exp2n, readVariance].map(f) as Six;
      gain = f(gain);
      for (let i = from; i < to; i++) {
        const dum = f(f(f(f32[(ave >> 2) + i]! * efacn) / f32[(shadcorr >> 2) + i]!) + sky);
        // biome-ignore lint/complexity/useMathMinMax: NaN and -0 give 0, as in the WebAssembly and hstcal
        const val = dum > 0 ? dum : 0;
        const signal = f(dum - sky);
        // biome-ignore lint/complexity/useMathMinMax: NaN and -0 give 0, as in the WebAssembly and hstcal
        const pixsky = f(scale * (signal > 0 ? signal : 0));
        const base = f(readVariance + f(val / gain));
        f32[(thresh >> 2) + i] = f(f(sig2 * f(base + f(pixsky * pixsky))) / exp2n);
        f32[(spill >> 2) + i] = f(f(sig2 * base) / exp2n);
      }
    },
    flagRow(n, snapshot, dq2, dq, mask, inputDq, flagged) {
      let nrej = 0;
      for (let i = 0; i < n; i++) {
        let own = (u16[(snapshot >> 1) + i]! | u16[(dq2 >> 1) + i]!) & ~CR & ~SPILL & 0xffff;
        let combined = own | u16[(dq >> 1) + i]!;
        const m = u16[(mask >> 1) + i];
        if (m === HIT || m === SPILL) {
          own |= CR;
          nrej++;
        } else {
          combined &= ~CR;
        }
        u16[(dq2 >> 1) + i] = own;
        u16[(dq >> 1) + i] = combined;
        const k = (inputDq >> 1) + i;
        if (i < flagged) u16[k] = (own & CR) !== 0 ? u16[k]! | CR : u16[k]! & ~CR;
      }
      return nrej;
    },
  };

  return {
    kernels,
    kind: "typescript",
    reserve(bytes) {
      if (buffer.byteLength < bytes) {
        buffer = new ArrayBuffer(bytes);
        f32 = new Float32Array(buffer);
        u16 = new Uint16Array(buffer);
      }
      return buffer;
    },
  };
}

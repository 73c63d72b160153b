/**
 * Runs a pixel loop in slices of a few thousand pixels. V8 optimises a small function that is called
 * many times far better than one long loop it has to replace on the stack mid-run (on-stack
 * replacement), which ran the passes over a 4096² image about 2–3 times slower.
 */
export const CHUNK = 4096;

export function forEachChunk(length: number, body: (start: number, end: number) => void): void {
  for (let start = 0; start < length; start += CHUNK) body(start, Math.min(start + CHUNK, length));
}

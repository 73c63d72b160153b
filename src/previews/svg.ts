/** Small SVG building blocks for the spectrum plots (rasterised by sharp's librsvg). */

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

export function svgDocument(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...body,
    "</svg>",
  ].join("\n");
}

export interface TextOptions {
  size?: number;
  anchor?: "start" | "middle" | "end";
  rotate?: number;
  weight?: "normal" | "bold";
}

export function svgText(x: number, y: number, text: string, options: TextOptions = {}): string {
  const { size = 14, anchor = "start", rotate, weight = "normal" } = options;
  const transform = rotate === undefined ? "" : ` transform="rotate(${rotate} ${fmt(x)} ${fmt(y)})"`;
  return `<text x="${fmt(x)}" y="${fmt(y)}" font-family="DejaVu Sans, sans-serif" font-size="${size}" font-weight="${weight}" text-anchor="${anchor}" fill="black"${transform}>${escapeXml(text)}</text>`;
}

export function svgPolyline(points: number[], colour: string, width = 1, clipId?: string): string {
  const coords: string[] = [];
  for (let i = 0; i < points.length; i += 2) coords.push(`${fmt(points[i])},${fmt(points[i + 1])}`);
  const clip = clipId ? ` clip-path="url(#${clipId})"` : "";
  return `<polyline fill="none" stroke="${colour}" stroke-width="${width}" stroke-linejoin="round" points="${coords.join(" ")}"${clip}/>`;
}

export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** About `count` round tick values covering [low, high] (1, 2, 5 × 10^k steps). */
export function niceTicks(low: number, high: number, count = 6): number[] {
  if (!(high > low)) return [low];
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** A tick label: plain for ordinary magnitudes, exponential for fluxes like 1.5e-14. */
export function tickLabel(value: number, step: number): string {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e6) {
    const decimals = Math.max(0, -Math.floor(Math.log10(step)));
    return value.toFixed(Math.min(decimals, 6));
  }
  return value.toExponential(Math.max(0, Math.floor(Math.log10(magnitude)) - Math.floor(Math.log10(step))));
}

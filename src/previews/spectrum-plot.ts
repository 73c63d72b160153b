/**
 * Spectrum previews (CALDP runs spec_plots' make_hst_spec_previews for these): flux against wavelength
 * drawn as SVG and rasterised to PNG by sharp, 1024 px wide with a title and labelled axes, one panel
 * per segment or order (up to four; more orders share one panel), and a 128 px thumbnail of the line alone.
 */
import sharp from "sharp";
import type { Spectrum, SpectrumSegment } from "./spectrum.js";
import { niceTicks, svgDocument, svgPolyline, svgText, tickLabel } from "./svg.js";

export const PLOT_WIDTH = 1024;
export const THUMB_WIDTH = 128;
const MAX_PANELS = 4;
const COLOURS = ["#1f4e9c", "#c0392b", "#1e8449", "#7d3c98"];

export interface PlotPoints {
  label: string;
  wavelength: Float64Array;
  flux: Float64Array;
}

/** Usable points: finite, non-zero wavelength (zero-padded array ends are dropped). */
export function plottable(segment: SpectrumSegment): PlotPoints {
  const keep: number[] = [];
  for (let i = 0; i < segment.wavelength.length; i++) {
    const w = segment.wavelength[i];
    const f = segment.flux[i];
    if (Number.isFinite(w) && w > 0 && Number.isFinite(f)) keep.push(i);
  }
  return {
    label: segment.label,
    wavelength: Float64Array.from(keep, (i) => segment.wavelength[i]),
    flux: Float64Array.from(keep, (i) => segment.flux[i]),
  };
}

/** Panels: each segment alone, or all in one when there are more than MAX_PANELS (echelle orders). */
export function panelsOf(spectrum: Spectrum): PlotPoints[][] {
  const segments = spectrum.segments.map(plottable).filter((p) => p.wavelength.length > 0);
  if (segments.length === 0) throw new Error("the spectrum has no finite flux values to plot");
  segments.sort((a, b) => a.wavelength[0] - b.wavelength[0]);
  return segments.length > MAX_PANELS ? [segments] : segments.map((s) => [s]);
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Flux range from the 0.5–99.5 % points, padded, so a few spikes do not flatten the spectrum. */
export function fluxRange(series: PlotPoints[]): [number, number] {
  const all = Float64Array.from(series.flatMap((s) => Array.from(s.flux))).sort();
  const at = (q: number) => all[Math.min(all.length - 1, Math.max(0, Math.floor(q * (all.length - 1))))];
  let low = at(0.005);
  let high = at(0.995);
  if (!(high > low)) {
    low -= Math.abs(low) * 0.5 || 1;
    high += Math.abs(high) * 0.5 || 1;
  }
  const pad = 0.08 * (high - low);
  return [Math.min(low - pad, low > 0 ? 0 : low - pad), high + pad];
}

/** Reduces a series to a min/max envelope per horizontal pixel (keeps lines and spikes visible). */
function envelope(s: PlotPoints, x: (w: number) => number, y: (f: number) => number): number[] {
  const points: number[] = [];
  let column = Number.NaN;
  let lo = 0;
  let hi = 0;
  const flush = () => {
    if (Number.isNaN(column)) return;
    points.push(column, y(lo));
    if (hi !== lo) points.push(column, y(hi));
  };
  for (let i = 0; i < s.wavelength.length; i++) {
    const px = Math.round(x(s.wavelength[i]) * 2) / 2;
    const f = s.flux[i];
    if (px !== column) {
      flush();
      column = px;
      lo = f;
      hi = f;
    } else {
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
    }
  }
  flush();
  return points;
}

function drawSeries(series: PlotPoints[], box: Box, clipId: string, lineWidth: number, range?: [number, number]) {
  const wMin = Math.min(...series.map((s) => s.wavelength[0]));
  const wMax = Math.max(...series.map((s) => s.wavelength[s.wavelength.length - 1]));
  const [fMin, fMax] = range ?? fluxRange(series);
  const span = wMax > wMin ? wMax - wMin : 1;
  const x = (w: number) => box.left + ((w - wMin) / span) * box.width;
  const y = (f: number) => box.top + box.height - ((f - fMin) / (fMax - fMin)) * box.height;
  const body = [
    `<clipPath id="${clipId}"><rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}"/></clipPath>`,
  ];
  series.forEach((s, i) => {
    body.push(svgPolyline(envelope(s, x, y), COLOURS[i % COLOURS.length], lineWidth, clipId));
  });
  return { body, wMin, wMax: wMin + span, fMin, fMax };
}

/** The full-size plot as SVG text. */
export function spectrumSvg(spectrum: Spectrum): { svg: string; width: number; height: number } {
  const panels = panelsOf(spectrum);
  const width = PLOT_WIDTH;
  const panelHeight = panels.length === 1 ? 560 : 300;
  const top = 90;
  const height = top + panels.length * panelHeight + 30;
  const title = `${spectrum.dataset.toUpperCase()}   ${spectrum.instrument} ${spectrum.grating}${spectrum.cenwave ? ` (${spectrum.cenwave})` : ""}   ${spectrum.target}`;
  const body = [svgText(width / 2, 34, title, { size: 22, anchor: "middle", weight: "bold" })];
  body.push(svgText(width / 2, 60, `${spectrum.fluxColumn} against wavelength`, { size: 14, anchor: "middle" }));
  panels.forEach((series, p) => {
    const box: Box = { left: 110, top: top + p * panelHeight, width: width - 140, height: panelHeight - 70 };
    const drawn = drawSeries(series, box, `panel${p}`, 1);
    body.push(...drawn.body, axes(box, drawn, spectrum.fluxUnit));
    const label = series.length === 1 ? series[0].label : `${series.length} ${series[0].label.split(" ")[0]}s`;
    body.push(svgText(box.left + box.width - 8, box.top + 20, label, { size: 14, anchor: "end" }));
  });
  return { svg: svgDocument(width, height, body), width, height };
}

function axes(box: Box, d: { wMin: number; wMax: number; fMin: number; fMax: number }, unit: string): string {
  const parts = [
    `<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="black" stroke-width="1"/>`,
  ];
  const xTicks = niceTicks(d.wMin, d.wMax, 8);
  const xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1;
  for (const t of xTicks) {
    const px = box.left + ((t - d.wMin) / (d.wMax - d.wMin || 1)) * box.width;
    const bottom = box.top + box.height;
    parts.push(`<line x1="${px}" y1="${bottom}" x2="${px}" y2="${bottom - 6}" stroke="black"/>`);
    parts.push(svgText(px, bottom + 18, tickLabel(t, xStep), { size: 12, anchor: "middle" }));
  }
  const yTicks = niceTicks(d.fMin, d.fMax, 5);
  const yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
  for (const t of yTicks) {
    const py = box.top + box.height - ((t - d.fMin) / (d.fMax - d.fMin)) * box.height;
    parts.push(`<line x1="${box.left}" y1="${py}" x2="${box.left + 6}" y2="${py}" stroke="black"/>`);
    parts.push(svgText(box.left - 6, py + 4, tickLabel(t, yStep), { size: 12, anchor: "end" }));
  }
  parts.push(
    svgText(box.left + box.width / 2, box.top + box.height + 40, "Wavelength (Å)", { size: 14, anchor: "middle" }),
  );
  const middle = box.top + box.height / 2;
  parts.push(svgText(22, middle, `Flux (${unit})`, { size: 14, anchor: "middle", rotate: -90 }));
  return parts.join("\n");
}

/** The thumbnail: all segments in one box, no text (too small to read at 128 px). */
export function thumbnailSvg(spectrum: Spectrum): { svg: string; width: number; height: number } {
  const series = panelsOf(spectrum).flat();
  const size = THUMB_WIDTH;
  const box: Box = { left: 4, top: 4, width: size - 8, height: size - 8 };
  const drawn = drawSeries(series, box, "thumb", 1);
  const frame = `<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="black" stroke-width="1"/>`;
  return { svg: svgDocument(size, size, [...drawn.body, frame]), width: size, height: size };
}

export async function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).flatten({ background: "#ffffff" }).png().toBuffer();
}

/**
 * The truth file: the noiseless scene (e-/s, float32) per chip as SCI extensions, and the injected
 * events as tables: COSMICRAYS, SATURATED (per exposure and chip), HOTPIXELS, BADCOLUMNS and, for
 * WFC3/IR, JUMPS (cosmic rays with the read after which they arrived).
 */
import { type ColumnSpec, FitsWriter, Header } from "../fits/index.js";
import type { PixelList } from "./ccd.js";
import type { DetectorModel } from "./detectors.js";
import type { ChipMaps } from "./maps.js";
import type { Scene } from "./scene.js";

export interface ExposureEvents {
  rootname: string;
  /** EXTVER of the raw imset / CCDCHIP → lists in science coordinates. */
  chips: { ccdchip: number; cosmicRays: PixelList; saturated: PixelList; jumpReads?: Int16Array }[];
}

export function writeTruthFile(
  path: string,
  model: DetectorModel,
  scenes: Scene[],
  maps: ChipMaps[],
  exposures: ExposureEvents[],
) {
  const primary = new Header()
    .set("TELESCOP", "HST")
    .set("INSTRUME", model.instrument)
    .set("DETECTOR", model.detector)
    .set("FILETYPE", "SIMULATION TRUTH")
    .set("NEXTEND", scenes.length + 4 + (model.detector === "IR" ? 1 : 0))
    .addCommentary("COMMENT", "Noiseless scene (e-/s per science pixel) and injected events of caldp sim.")
    .addCommentary("COMMENT", "Coordinates X, Y are 0-based science (trimmed) pixel indices.");
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    scenes.forEach((scene, i) => {
      const h = new Header()
        .set("EXTNAME", "SCI")
        .set("EXTVER", i + 1)
        .set("CCDCHIP", maps[i].chip.ccdchip)
        .set("BUNIT", "ELECTRONS/S")
        .set("SKY", scene.sky, { comment: "sky level (e-/s/pixel)" })
        .set("NSTARS", scene.stars.length)
        .set("NGALAXY", scene.galaxies.length);
      writer.writeImage(h, scene.rate, [scene.nx, scene.ny]);
    });
    const eventRows = (pick: (c: ExposureEvents["chips"][number]) => PixelList) =>
      exposures.flatMap((e) => e.chips.map((c) => ({ rootname: e.rootname, ccdchip: c.ccdchip, list: pick(c) })));
    writer.writeTable(
      ...pixelTable(
        "COSMICRAYS",
        "ELECTRONS",
        eventRows((c) => c.cosmicRays),
      ),
    );
    writer.writeTable(
      ...pixelTable(
        "SATURATED",
        "ELECTRONS",
        eventRows((c) => c.saturated),
      ),
    );
    const hot = maps.flatMap((m) => m.hotPixels.map((p) => ({ ...p, ccdchip: m.chip.ccdchip })));
    writer.writeTable(
      new Header().set("EXTNAME", "HOTPIXELS"),
      [
        { name: "CCDCHIP", data: Int16Array.from(hot.map((p) => p.ccdchip)) },
        { name: "X", data: Int32Array.from(hot.map((p) => p.x)) },
        { name: "Y", data: Int32Array.from(hot.map((p) => p.y)) },
        { name: "RATE", data: Float32Array.from(hot.map((p) => p.rate)), unit: "electrons/s" },
      ],
      hot.length,
    );
    const columns = maps.flatMap((m) => m.badColumns.map((x) => ({ x, ccdchip: m.chip.ccdchip })));
    writer.writeTable(
      new Header().set("EXTNAME", "BADCOLUMNS"),
      [
        { name: "CCDCHIP", data: Int16Array.from(columns.map((c) => c.ccdchip)) },
        { name: "X", data: Int32Array.from(columns.map((c) => c.x)) },
      ],
      columns.length,
    );
    if (model.detector === "IR") {
      const rows = eventRows((c) => c.cosmicRays);
      const reads = exposures.flatMap((e) => e.chips.map((c) => c.jumpReads ?? new Int16Array()));
      const [header, specs, n] = pixelTable("JUMPS", "ELECTRONS", rows);
      specs.push({ name: "READ", data: Int16Array.from(reads.flatMap((r) => [...r])) });
      writer.writeTable(header, specs, n);
    }
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

function pixelTable(
  extname: string,
  valueName: string,
  rows: { rootname: string; ccdchip: number; list: PixelList }[],
): [Header, ColumnSpec[], number] {
  const n = rows.reduce((a, r) => a + r.list.x.length, 0);
  const names: string[] = [];
  const chips = new Int16Array(n);
  const xs = new Int32Array(n);
  const ys = new Int32Array(n);
  const values = new Float32Array(n);
  let at = 0;
  for (const r of rows) {
    const k = r.list.x.length;
    for (let i = 0; i < k; i++) names.push(r.rootname);
    chips.fill(r.ccdchip, at, at + k);
    xs.set(r.list.x, at);
    ys.set(r.list.y, at);
    values.set(r.list.value, at);
    at += k;
  }
  const specs: ColumnSpec[] = [
    { name: "EXPOSURE", data: names, format: "9A" },
    { name: "CCDCHIP", data: chips },
    { name: "X", data: xs },
    { name: "Y", data: ys },
    { name: valueName, data: values, unit: "electrons" },
  ];
  return [new Header().set("EXTNAME", extname), specs, n];
}

/**
 * The FUV geometric distortion of the simulated detector and its references in calcos' format: GEOFILE (the
 * distortion over the whole segment, binned 16 × 4) and DGEOFILE (a small extra term over part of it, binned
 * 32 × 8 and placed by ORIGIN_X/ORIGIN_Y), each with extensions (FUVA,1) = X and (FUVA,2) = Y and likewise FUVB.
 * calcos subtracts the images' values at the raw coordinates; the simulator adds the same model to the true
 * positions, so the corrected events land where the source is.
 */
import { FitsWriter, Header } from "../fits/index.js";
import { FUV_SEGMENTS, type FuvSegment } from "./cos-fuv-layout.js";

const FUV_X = 16384;
const FUV_Y = 1024;

export interface GeoGrid {
  originX: number;
  originY: number;
  xbin: number;
  ybin: number;
  nx: number;
  ny: number;
}

export const GEO_GRID: GeoGrid = { originX: 0, originY: 0, xbin: 16, ybin: 4, nx: FUV_X / 16, ny: FUV_Y / 4 };
export const DGEO_GRID: GeoGrid = { originX: 1000, originY: 300, xbin: 32, ybin: 8, nx: 450, ny: 63 };

type Model = (s: FuvSegment, x: number, y: number) => [number, number];

/** The large-scale distortion (pixels): X bows by up to 3 pixels along the segment, Y by 1.5. */
export const geoDistortion: Model = (s, x, y) => {
  const sign = s === "FUVA" ? 1 : -1;
  return [
    sign * 3 * Math.sin((2 * Math.PI * x) / FUV_X) + (0.5 * (y - 512)) / 512,
    1.5 * Math.cos((Math.PI * x) / FUV_X) - 0.4 * ((y - 512) / 512) ** 2,
  ];
};

/** The small correction DGEOFILE holds, zero off its grid (as calcos leaves events off the image alone). */
export const dgeoDistortion: Model = (_s, x, y) => {
  const g = DGEO_GRID;
  const inside = x >= g.originX && x < g.originX + g.nx * g.xbin && y >= g.originY && y < g.originY + g.ny * g.ybin;
  return inside ? [0.25 * Math.sin(x / 700), 0.15 * Math.cos(x / 900)] : [0, 0];
};

/** Where an event at the true (x, y) is recorded: both distortions added. */
export function distortedPosition(s: FuvSegment, x: number, y: number): [number, number] {
  const [gx, gy] = geoDistortion(s, x, y);
  const [dx, dy] = dgeoDistortion(s, x, y);
  return [x + gx + dx, y + gy + dy];
}

function writeGeoFile(path: string, primary: Header, grid: GeoGrid, model: Model): void {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    for (const s of FUV_SEGMENTS) {
      for (const axis of [0, 1]) {
        const image = new Float32Array(grid.nx * grid.ny);
        for (let j = 0; j < grid.ny; j++) {
          for (let i = 0; i < grid.nx; i++) {
            image[j * grid.nx + i] = model(s, grid.originX + i * grid.xbin, grid.originY + j * grid.ybin)[axis];
          }
        }
        const h = new Header()
          .set("EXTNAME", s)
          .set("EXTVER", axis + 1)
          .set("ORIGIN_X", grid.originX)
          .set("ORIGIN_Y", grid.originY)
          .set("XBIN", grid.xbin)
          .set("YBIN", grid.ybin);
        writer.writeImage(h, image, [grid.nx, grid.ny]);
      }
    }
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

export function writeCosFuvGeoReferences(
  paths: { GEOFILE: string; DGEOFILE: string },
  primary: (filetype: string, descrip: string) => Header,
): void {
  const geo = primary("GEOMETRIC DISTORTION REFERENCE IMAGE", "synthetic FUV geometric distortion");
  writeGeoFile(paths.GEOFILE, geo, GEO_GRID, geoDistortion);
  const dgeo = primary("DELTA GEOMETRIC CORRECTION REFERENCE IMAGE", "synthetic FUV delta distortion");
  writeGeoFile(paths.DGEOFILE, dgeo, DGEO_GRID, dgeoDistortion);
}

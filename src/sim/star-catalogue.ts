/** The dither's truth catalogue: a STARS table of RA, DEC (degrees, ICRS) and FLUX (e-/s). */
import { FitsWriter, Header } from "../fits/index.js";

export function writeStarCatalogue(path: string, stars: { ra: number; dec: number; flux: number }[]) {
  const primary = new Header()
    .set("TELESCOP", "HST")
    .set("FILETYPE", "SIMULATION TRUTH")
    .set("NEXTEND", 1)
    .addCommentary("COMMENT", "Stars of caldp sim's dithered association: sky positions and total rates.");
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    writer.writeTable(
      new Header().set("EXTNAME", "STARS"),
      [
        { name: "RA", data: Float64Array.from(stars.map((s) => s.ra)), unit: "deg" },
        { name: "DEC", data: Float64Array.from(stars.map((s) => s.dec)), unit: "deg" },
        { name: "FLUX", data: Float64Array.from(stars.map((s) => s.flux)), unit: "electron/s" },
      ],
      stars.length,
    );
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

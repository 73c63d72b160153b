/**
 * The JPEG comment fitscut writes: the reference HDU's WCS adjusted for the preview's zoom (so the
 * JPEG can be overlaid in Aladin), or a plain "Created by" line when the header has no usable WCS.
 */
import { formatGeneral } from "../calib/common/c-format.js";
import type { Header } from "../fits/index.js";
import { VERSION } from "../version.js";

const CREATED = `Created by caldp ${VERSION} previews`;

export function wcsComment(header: Header | undefined, zoom: number): string {
  const num = (k: string) => (header?.has(k) ? Number(header.get(k)) : undefined);
  const text = (k: string) => (header?.has(k) ? `'${String(header.get(k))}'` : undefined);
  const crval = [num("CRVAL1"), num("CRVAL2")];
  const crpix = [num("CRPIX1"), num("CRPIX2")];
  const ctype = [text("CTYPE1"), text("CTYPE2")];
  const cd = [num("CD1_1"), num("CD1_2"), num("CD2_1"), num("CD2_2")];
  const cdelt = [num("CDELT1"), num("CDELT2")];
  const known = (values: (number | string | undefined)[]) => values.every((v) => v !== undefined);
  if (!known([...crval, ...crpix, ...ctype]) || !(known(cd) || known(cdelt))) return CREATED;
  const g = (x: number) => formatGeneral(x, 15);
  const pix = (p: number) => g(p * zoom - 0.5 * (zoom - 1));
  const lines = [
    `CTYPE1  = ${ctype[0]}`,
    `CTYPE2  = ${ctype[1]}`,
    `CRPIX1  = ${pix(crpix[0]!)}`,
    `CRPIX2  = ${pix(crpix[1]!)}`,
    `CRVAL1  = ${g(crval[0]!)}`,
    `CRVAL2  = ${g(crval[1]!)}`,
  ];
  if (known(cd)) {
    ["CD1_1", "CD1_2", "CD2_1", "CD2_2"].forEach((k, i) => {
      lines.push(`${k.padEnd(8)}= ${g(cd[i]! / zoom)}`);
    });
  } else {
    lines.push(`CDELT1  = ${g(cdelt[0]! / zoom)}`, `CDELT2  = ${g(cdelt[1]! / zoom)}`);
    lines.push(`CROTA2  = ${g(num("CROTA2") ?? 0)}`);
  }
  lines.push(`COMMENT ${CREATED}`);
  return `${lines.join("\n")}\n`;
}

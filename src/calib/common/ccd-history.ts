/**
 * HISTORY lines naming a reference file (hstcal tabhistory.c, imghistory.c): its name, then its PEDIGREE
 * and DESCRIP (empty values are not written).
 */
export interface ReferenceNote {
  /** The header value, e.g. jref$x1234_ccd.fits. */
  name: string;
  pedigree?: string;
  descrip?: string;
  /** DESCRIP of the table row used (tables only). */
  rowDescrip?: string;
}

export function referenceLines(kind: "image" | "table", ref: ReferenceNote): string[] {
  const lines = [`  reference ${kind} ${ref.name}`];
  for (const text of [ref.pedigree, ref.descrip, kind === "table" ? ref.rowDescrip : undefined]) {
    if (text) lines.push(`    ${text}`);
  }
  return lines;
}

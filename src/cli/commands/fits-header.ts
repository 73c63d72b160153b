import { existsSync } from "node:fs";
import { type Card, type FitsFile, formatCard, type Hdu, recordValued } from "../../fits/index.js";
import { eachFile } from "./fits-files.js";
import { csv, fixedWidth, pprint, pythonFloat, type Row } from "./text-tables.js";

export interface HeaderOptions {
  extension?: string[];
  keyword?: string[];
  table?: string | boolean;
  fitsort?: boolean;
  sort?: string[];
}

const TABLE_FORMATS: Record<string, (columns: string[], rows: Row[]) => string> = {
  "ascii.fixed_width": fixedWidth,
  fixed_width: fixedWidth,
  "ascii.csv": csv,
  csv,
};

/** An HDU as fitsheader names it: the index, EXTNAME as typed, or (EXTNAME, EXTVER) printed as a Python tuple. */
interface HduKey {
  label: string;
  find(fits: FitsFile): Hdu | undefined;
}

function hduKey(text: string): HduKey {
  if (/^[+-]?\d+$/.test(text.trim())) {
    const i = Number(text);
    return { label: String(i), find: (f) => f.hdus[i < 0 ? f.hdus.length + i : i] };
  }
  const comma = text.lastIndexOf(",");
  const name = (comma < 0 ? text : text.slice(0, comma)).trim().toUpperCase();
  const ver = comma < 0 ? undefined : Number(text.slice(comma + 1));
  if (ver !== undefined && !Number.isInteger(ver)) throw new Error(`-e ${text}: EXTVER must be an integer`);
  const label = ver === undefined ? text : `('${text.slice(0, comma)}', ${ver})`;
  return {
    label,
    find: (f) => f.hdus.find((h) => h.name.toUpperCase() === name && (ver === undefined || h.ver === ver)),
  };
}

function isWildcard(keyword: string): boolean {
  return /[*?]|\.\.\.$/.test(keyword);
}

/** astropy's header wildcards: `*` any characters, `?` one, `...` any non-blank; otherwise the first card. */
function cardsFor(hdu: Hdu, keyword: string): Card[] {
  const upper = keyword.toUpperCase();
  if (!isWildcard(keyword)) {
    const card = hdu.header.cards.find((c) => c.keyword === upper);
    return card ? [card] : [];
  }
  const parts = upper.split("...").map((part) =>
    part
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replaceAll("*", ".*")
      .replaceAll("?", "."),
  );
  const re = new RegExp(`^${parts.join("\\S*")}$`, "i");
  return hdu.header.cards.filter((c) => re.test(c.keyword));
}

/** str(card.value) in Python, which fitsheader's tables print. */
export function pythonValue(card: Card): string {
  if (card.kind === "commentary") return card.comment;
  const v = card.value;
  if (card.kind === "float" && typeof v === "number") return pythonFloat(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v === null) return "";
  if (typeof v === "object") return `(${pythonFloat(v.re)}${v.im < 0 ? "" : "+"}${pythonFloat(v.im)}j)`;
  return String(v);
}

/** A card as astropy's tables show it: record-valued cards (`D2IM1 = 'EXTVER: 1'`) as D2IM1.EXTVER = 1.0. */
function tableCard(card: Card): { keyword: string; value: string } {
  const record = recordValued(card);
  if (record) return { keyword: record.keyword, value: pythonFloat(record.value) };
  return { keyword: card.keyword, value: pythonValue(card) };
}

interface Selection {
  file: string;
  hdus: { label: string; found: boolean; cards: Card[] }[];
}

/** The cards asked for in one file, warning (as fitsheader does) about missing extensions and keywords. */
function select(fits: FitsFile, file: string, options: HeaderOptions, warn: boolean): Selection & { missing: number } {
  const keys = options.extension?.map(hduKey) ?? fits.hdus.map((h) => hduKey(String(h.index)));
  const hdus: Selection["hdus"] = [];
  let missing = 0;
  for (const key of keys) {
    const hdu = key.find(fits);
    if (!hdu) {
      console.error(`WARNING: ${file}: Extension ${key.label} not found.`);
      missing++;
      hdus.push({ label: key.label, found: false, cards: [] });
      continue;
    }
    if (!options.keyword?.length) {
      hdus.push({ label: key.label, found: true, cards: hdu.header.cards });
      continue;
    }
    const cards: Card[] = [];
    for (const keyword of options.keyword) {
      const found = cardsFor(hdu, keyword);
      if (found.length === 0 && warn && !isWildcard(keyword))
        console.error(`WARNING: ${file} (HDU ${key.label}): Keyword ${keyword} not found.`);
      cards.push(...found);
    }
    hdus.push({ label: key.label, found: true, cards });
  }
  return { file, hdus, missing };
}

function traditional(selection: Selection): string {
  const parts: string[] = [];
  selection.hdus.forEach(({ label, found, cards }, i) => {
    if (!found) return;
    if (i > 0) parts.push("\n");
    parts.push(`# HDU ${label} in ${selection.file}:\n`);
    for (const card of cards) for (const image of formatCard(card)) parts.push(`${image}\n`);
  });
  return parts.join("");
}

function tableRows(selection: Selection): Row[] {
  return selection.hdus.flatMap(({ label, cards }) =>
    cards.map((c) => ({ filename: selection.file, hdu: label, ...tableCard(c) })),
  );
}

/** fitsort: one row per file, one column per keyword (HDU:KEYWORD when several HDUs are shown). */
function fitsortTable(selections: Selection[], sort: string[] | undefined): string {
  const perFile = selections.map((s) => tableRows(s).filter((r) => r.keyword !== ""));
  const labels = new Set(perFile.flat().map((r) => r.hdu));
  const columns = ["filename"];
  const rows = perFile.map((fileRows, i) => {
    const row: Row = { filename: selections[i].file };
    for (const r of fileRows) {
      if (r.keyword === "COMMENT" || r.keyword === "HISTORY") continue;
      const name = labels.size > 1 ? `${r.hdu}:${r.keyword}` : (r.keyword as string);
      if (name in row) continue;
      row[name] = r.value;
      if (!columns.includes(name)) columns.push(name);
    }
    return row;
  });
  for (const key of sort ?? []) {
    if (!columns.includes(key)) throw new Error(`--sort ${key}: no such column (${columns.join(", ")})`);
  }
  if (sort?.length) {
    rows.sort((a, b) => {
      for (const key of sort) {
        const [x, y] = [a[key] ?? "", b[key] ?? ""];
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    });
  }
  return pprint(columns, rows);
}

/** `-t FILE`: like argparse, -t takes an optional value; a value that is a file, not a format, is a file. */
function tableFormat(files: string[], table: string | boolean | undefined): string | undefined {
  if (table === undefined || table === false) return undefined;
  if (table === true) return "ascii.fixed_width";
  if (TABLE_FORMATS[table]) return table;
  if (existsSync(table)) {
    files.unshift(table);
    return "ascii.fixed_width";
  }
  throw new Error(`-t ${table}: unsupported table format (${Object.keys(TABLE_FORMATS).join(", ")})`);
}

/** caldp fits header, as astropy's fitsheader; returns the exit status (1 when a file or extension failed). */
export function fitsHeader(files: string[], options: HeaderOptions): number {
  const paths = [...files];
  const format = tableFormat(paths, options.table);
  if (paths.length === 0) throw new Error("fits header: no FITS file given");
  if (format && options.fitsort) throw new Error("-t/--table and -f/--fitsort cannot be used together");
  if (options.sort?.length && !options.fitsort) throw new Error("-s/--sort is only supported with -f/--fitsort");
  const selections: Selection[] = [];
  let missing = 0;
  const failed = eachFile(paths, (fits, path) => {
    const selection = select(fits, path, options, !options.fitsort);
    missing += selection.missing;
    if (format || options.fitsort) {
      selections.push(selection);
      return;
    }
    if (selections.length++ > 0 && !options.keyword?.length) process.stdout.write("\n");
    process.stdout.write(traditional(selection));
  });
  if (format) {
    const rows = selections.flatMap(tableRows);
    if (rows.length) console.log(TABLE_FORMATS[format](["filename", "hdu", "keyword", "value"], rows));
  } else if (options.fitsort && selections.length) {
    console.log(fitsortTable(selections, options.sort));
  }
  return failed > 0 || missing > 0 ? 1 : 0;
}

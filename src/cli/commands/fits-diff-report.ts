import {
  type DataDiff,
  type DiffOptions,
  dataIdentical,
  type FileDiff,
  type HduDiff,
  type HeaderDiff,
} from "../../fits/index.js";
import { pythonFloat } from "./text-tables.js";

/** Python's repr() of a string: single quotes unless it holds one and no double quote. */
function pythonRepr(text: string): string {
  const escaped = text.replaceAll("\\", "\\\\");
  if (text.includes("'") && !text.includes('"')) return `"${escaped}"`;
  return `'${escaped.replaceAll("'", "\\'")}'`;
}

/** A value as Python prints it in fitsdiff's report (repr for extra keywords). */
function show(v: unknown, repr = false, float = false): string {
  if (float && typeof v === "number") return pythonFloat(v);
  if (typeof v === "string") return repr ? pythonRepr(v) : v;
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : pythonFloat(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v === null) return "None";
  if (Array.isArray(v)) return `[${v.map((x) => show(x)).join(" ")}]`;
  if (v && typeof v === "object" && "re" in v) {
    const c = v as { re: number; im: number };
    return `(${c.re}+${c.im}j)`;
  }
  return String(v);
}

/** A pixel value as numpy prints it: float32 values with the fewest digits that give them back. */
function value(v: number | bigint, float32 = false): string {
  if (!float32 || typeof v !== "number" || !Number.isFinite(v) || v === 0) return show(v, false, float32);
  for (let digits = 1; digits < 10; digits++) {
    const shorter = Number(v.toPrecision(digits));
    if (Math.fround(shorter) === v) return pythonFloat(shorter);
  }
  return pythonFloat(v);
}

/** The `a>` and `b>` lines; like difflib, an empty value has no line. Values of different types name them. */
function sides(a: string, b: string, types?: [string, string]): string[] {
  const width = types ? Math.max(types[0].length, types[1].length) + 3 : 0;
  const sign = (side: "a" | "b", i: number) => `${types ? `(${types[i]}) `.padStart(width) : ""}${side}>`;
  return [a && `    ${sign("a", 0)} ${a}`, b && `    ${sign("b", 1)} ${b}`].filter(Boolean);
}

/** Python's type name of a header value. */
function pythonType(v: unknown, float = false): string {
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (v === null) return "Undefined";
  if (typeof v === "object") return "complex";
  return float ? "float" : "int";
}

/** Two header values as fitsdiff shows them: with their types (and a string's repr) when the types differ. */
function headerValueLines(a: unknown, b: unknown, floats: [boolean, boolean] = [false, false]): string[] {
  const types: [string, string] = [pythonType(a, floats[0]), pythonType(b, floats[1])];
  if (types[0] === types[1]) return sides(show(a, false, floats[0]), show(b, false, floats[1]));
  const text = (v: unknown, t: string, other: string, float: boolean) =>
    show(v, (t === "str" && other !== "str") || (t !== "str" && t !== "Undefined"), float);
  return sides(text(a, types[0], types[1], floats[0]), text(b, types[1], types[0], floats[1]), types);
}

function pixelLines(
  a: number | bigint,
  b: number | bigint,
  d: { float32?: boolean; dtypes?: [string, string] },
): string[] {
  if (!d.dtypes) return sides(value(a, d.float32), value(b, d.float32));
  return sides(value(a, d.dtypes[0] === "float32"), value(b, d.dtypes[1] === "float32"), d.dtypes);
}

function headerLines(h: HeaderDiff): string[] {
  const out: string[] = [];
  if (h.cardCount)
    out.push(" Headers have different number of cards:", `  a: ${h.cardCount[0]}`, `  b: ${h.cardCount[1]}`);
  for (const [side, list] of [
    ["a", h.onlyInA],
    ["b", h.onlyInB],
  ] as const) {
    for (const { keyword, value, float } of list)
      out.push(` Extra keyword ${`'${keyword}'`.padEnd(8)} in ${side}: ${show(value, true, float)}`);
  }
  for (const r of h.repeats) {
    out.push(
      ` Inconsistent duplicates of keyword ${`'${r.keyword}'`.padEnd(8)}:`,
      `  Occurs ${r.a} time(s) in a, ${r.b} times in (b)`,
    );
  }
  const all = [
    ...h.values.map((d) => ({ ...d, what: "values" })),
    ...h.comments.map((d) => ({ ...d, what: "comments" })),
  ];
  // fitsdiff's order: keyword by keyword, its values (each occurrence in turn), then its comments
  const rank = (d: (typeof all)[number]) => [d.keyword, d.what === "values" ? 0 : 1, d.occurrence] as const;
  all.sort((x, y) => {
    const [p, q] = [rank(x), rank(y)];
    return p[0] !== q[0] ? (p[0] < q[0] ? -1 : 1) : p[1] - q[1] || p[2] - q[2];
  });
  for (const d of all) {
    const dup = d.occurrence ? `[${d.occurrence + 1}]` : "";
    out.push(` Keyword ${d.keyword.padEnd(8)}${dup} has different ${d.what}:`);
    out.push(...headerValueLines(d.a, d.b, d.floats));
  }
  return out;
}

function dataLines(d: DataDiff, numDiffs: number): string[] {
  const out: string[] = [];
  const more = numDiffs >= 0 && d.total > numDiffs;
  if (d.kind === "raw") {
    if (d.dimensions) {
      const [a, b] = [d.dimensions[0][0], d.dimensions[1][0]];
      return [" Data sizes differ:", `  a: ${a} bytes`, `  b: ${b} bytes`, " No further data comparison performed."];
    }
    for (const f of d.first) out.push(` Data differs at byte ${f.at[0]}:`, ...pixelLines(f.a, f.b, d));
    out.push(" ...", ` ${d.total} different bytes found (${(d.ratio * 100).toFixed(2)}% different).`);
    return out;
  }
  if (d.kind !== "table") {
    if (d.dimensions) {
      const dims = (axes: number[]) => axes.join(" x ");
      return [
        " Data dimensions differ:",
        `  a: ${dims(d.dimensions[0])}`,
        `  b: ${dims(d.dimensions[1])}`,
        " No further data comparison performed.",
      ];
    }
    for (const f of d.first) out.push(` Data differs at [${f.at.join(", ")}]:`, ...pixelLines(f.a, f.b, d));
    if (more) out.push(" ...");
    out.push(` ${d.total} different pixels found (${(d.ratio * 100).toFixed(2)}% different).`);
    return out;
  }
  if (d.columnCount)
    out.push(" Tables have different number of columns:", `  a: ${d.columnCount[0]}`, `  b: ${d.columnCount[1]}`);
  for (const c of d.onlyInA) out.push(` Extra column ${c.name} of format ${c.format} in a`);
  for (const c of d.onlyInB) out.push(` Extra column ${c.name} of format ${c.format} in b`);
  for (const a of d.attributes)
    out.push(` Column ${a.column} has different ${a.attribute}:`, `    a> ${a.a}`, `    b> ${a.b}`);
  if (d.rows)
    return [
      ...out,
      " Table rows differ:",
      `  a: ${d.rows[0]}`,
      `  b: ${d.rows[1]}`,
      " No further data comparison performed.",
    ];
  for (const f of d.first)
    out.push(` Column ${f.column} data differs in row ${f.row}:`, `    a> ${show(f.a)}`, `    b> ${show(f.b)}`);
  if (more) out.push(` ...${d.total - numDiffs} additional difference(s) found.`, " ...");
  if (d.total)
    out.push(` ${d.total} different table data element(s) found (${(d.ratio * 100).toFixed(2)}% different).`);
  return out;
}

function hduLines(h: HduDiff, options: DiffOptions): string[] {
  const title =
    h.index === 0
      ? "Primary HDU:"
      : h.names || h.vers || !h.name
        ? `Extension HDU ${h.index}:`
        : `Extension HDU ${h.index} (${h.name}, ${h.ver}):`;
  const out = ["", title];
  const indent = (lines: string[]) => lines.map((l) => `  ${l}`);
  if (h.types) out.push(...indent([" Extension types differ:", `  a: ${h.types[0]}`, `  b: ${h.types[1]}`]));
  if (h.names) out.push(...indent([" Extension names differ:", `  a: ${h.names[0]}`, `  b: ${h.names[1]}`]));
  if (h.vers) out.push(...indent([" Extension versions differ:", `  a: ${h.vers[0]}`, `  b: ${h.vers[1]}`]));
  const header = headerLines(h.header);
  if (header.length) out.push("", ...indent([" Headers contain differences:", ...indent(header)]));
  const data = h.data && !dataIdentical(h.data) ? dataLines(h.data, options.numDiffs) : [];
  if (data.length) out.push("", ...indent([" Data contains differences:", ...indent(data)]));
  return out;
}

/** The report in fitsdiff's layout (without difflib's `?` marker lines). */
export function diffReport(d: FileDiff, options: DiffOptions): string {
  const out = ["", " caldp fits diff", ` a: ${d.a}`, ` b: ${d.b}`];
  const list = (title: string, items: readonly string[]) => {
    if (items.length) out.push(` ${title}:`, `  ${[...items].sort().join(" ")}`);
  };
  list("HDU(s) not to be compared", options.ignoreHdus);
  list(
    "Keyword(s) not to be compared",
    options.ignoreKeywords.map((k) => k.toUpperCase()),
  );
  list(
    "Keyword(s) whose comments are not to be compared",
    options.ignoreComments.map((k) => k.toUpperCase()),
  );
  list("Table column(s) not to be compared", options.ignoreFields);
  out.push(` Maximum number of different data values to be reported: ${options.numDiffs}`);
  out.push(` Relative tolerance: ${pythonFloat(options.rtol)}, Absolute tolerance: ${pythonFloat(options.atol)}`);
  if (d.hduCount) {
    out.push("", "Files contain different numbers of HDUs:", ` a: ${d.hduCount[0]}`, ` b: ${d.hduCount[1]}`);
    if (!d.hdus.length) out.push("No differences found between common HDUs.");
  } else if (!d.hdus.length) {
    out.push("", "No differences found.");
  }
  for (const h of d.hdus) out.push(...hduLines(h, options));
  return `${out.join("\n")}\n`;
}

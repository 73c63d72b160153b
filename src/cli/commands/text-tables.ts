/**
 * The text layouts of astropy tables that `fitsheader` prints: `ascii.fixed_width`, `ascii.csv` and
 * `Table.pprint` (fitsort). Rows are plain strings; a missing cell (a column another file lacks) is undefined.
 */
export type Row = Record<string, string | undefined>;

/** Python's str.center, so that headers are placed exactly as astropy places them. */
function center(text: string, width: number): string {
  const margin = width - text.length;
  if (margin <= 0) return text;
  const left = Math.floor(margin / 2) + (margin & width & 1);
  return " ".repeat(left) + text + " ".repeat(margin - left);
}

function widths(columns: string[], rows: Row[], missing: string): number[] {
  return columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? missing).length)));
}

export function fixedWidth(columns: string[], rows: Row[]): string {
  const w = widths(columns, rows, "");
  const line = (cells: string[]) => `| ${cells.map((s, i) => s.padStart(w[i])).join(" | ")} |`;
  return [line(columns), ...rows.map((r) => line(columns.map((c) => r[c] ?? "")))].join("\n");
}

/** astropy's fast CSV writer strips each field and quotes it only for a delimiter, quote or line break. */
function csvField(raw: string): string {
  const text = raw.trim();
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csv(columns: string[], rows: Row[]): string {
  const line = (cells: string[]) => cells.map(csvField).join(",");
  return [line(columns), ...rows.map((r) => line(columns.map((c) => r[c] ?? "")))].join("\n");
}

/** Table.pprint(max_lines=-1, max_width=-1): centred names, a dashed rule, right-aligned cells, `--` if missing. */
export function pprint(columns: string[], rows: Row[]): string {
  const w = widths(columns, rows, "--");
  return [
    columns.map((c, i) => center(c, w[i])).join(" "),
    w.map((n) => "-".repeat(n)).join(" "),
    ...rows.map((r) => columns.map((c, i) => (r[c] ?? "--").padStart(w[i])).join(" ")),
  ].join("\n");
}

/** Python's str() of a float: the shortest repr, positional for exponents -4..15, else 1.5e-05 / 1e+16. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Object.is(x, -0)) return "-0.0";
  const [mantissa, exp] = x.toExponential().split("e");
  const e = Number(exp);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  const whole = digits.slice(0, e + 1).padEnd(e + 1, "0");
  const fraction = digits.slice(e + 1);
  return `${sign}${whole}.${fraction || "0"}`;
}

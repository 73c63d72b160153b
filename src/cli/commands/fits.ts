import { type Command, Option } from "commander";
import { type Hdu, scalingOf } from "../../fits/index.js";
import { registerFitsDiffCommand } from "./fits-diff.js";
import { eachFile } from "./fits-files.js";
import { fitsHeader, type HeaderOptions } from "./fits-header.js";
import { fitsVerify, type VerifyOptions } from "./fits-verify.js";

const CLASS: Record<Hdu["type"], string> = {
  primary: "PrimaryHDU",
  image: "ImageHDU",
  bintable: "BinTableHDU",
  table: "TableHDU",
  other: "NonstandardExtHDU",
};

const DTYPE: Record<number, string> = {
  8: "uint8",
  16: "int16",
  32: "int32",
  64: "int64",
  [-32]: "float32",
  [-64]: "float64",
};
const UNSIGNED: Record<number, string> = { 8: "int8", 16: "uint16", 32: "uint32", 64: "uint64" };

export interface HduSummary {
  index: number;
  name: string;
  ver: number;
  type: string;
  cards: number;
  dims: number[];
  format: string;
  /** HST constant-value extensions: the value and the dimensions it stands for. */
  constant?: { value: number; dims: number[] };
}

/** What `fits info` shows of one HDU (the columns of astropy's fitsinfo). */
export function summarize(hdu: Hdu): HduSummary {
  const base = { index: hdu.index, name: hdu.name, ver: hdu.ver, type: CLASS[hdu.type], cards: hdu.header.length };
  if (hdu.type === "bintable" || hdu.type === "table") {
    const n = hdu.header.getInt("TFIELDS");
    const forms = Array.from({ length: n }, (_, i) => String(hdu.header.get(`TFORM${i + 1}`) ?? "?").trim());
    return { ...base, dims: [hdu.axes[1]], format: `[${forms.join(", ")}]` };
  }
  const { bscale, bzero } = scalingOf(hdu.header);
  let format = DTYPE[hdu.bitpix];
  if (bscale !== 1 || (bzero !== 0 && bzero !== 0n)) {
    const offset = bscale === 1 && UNSIGNED[hdu.bitpix] && String(bzero) === String(offsetOf(hdu.bitpix));
    format += ` (rescales to ${offset ? UNSIGNED[hdu.bitpix] : hdu.bitpix > 16 ? "float64" : "float32"})`;
  }
  const summary: HduSummary = { ...base, dims: hdu.axes, format: hdu.axes.length ? format : "" };
  if (hdu.npix) {
    const dims = hdu.npix;
    summary.constant = { value: hdu.header.getNumber("PIXVALUE"), dims };
    summary.format = `${format}, constant ${summary.constant.value} over (${dims.join(", ")})`;
  }
  return summary;
}

function offsetOf(bitpix: number): string {
  return { 8: "-128", 16: "32768", 32: "2147483648", 64: "9223372036854775808" }[bitpix] ?? "";
}

function dimsText(dims: number[]): string {
  return `(${dims.join(", ")}${dims.length === 1 ? "," : ""})`;
}

function infoText(path: string, hdus: HduSummary[]): string {
  const lines = [`Filename: ${path}`, "No.    Name      Ver    Type      Cards   Dimensions   Format"];
  for (const h of hdus) {
    const dims = h.type.includes("Table") ? `${h.dims[0]}R x ${h.format.split(",").length}C` : dimsText(h.dims);
    lines.push(
      `${String(h.index).padStart(3)}  ${h.name.padEnd(10)} ${String(h.ver).padStart(3)} ${h.type.padEnd(11)} ${String(h.cards).padStart(5)}   ${dims}   ${h.format}`,
    );
  }
  return lines.join("\n");
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerFitsCommands(program: Command): void {
  const fits = program.command("fits").description("inspect and check FITS files");

  fits
    .command("info")
    .description("list each file's HDUs: index, EXTNAME, EXTVER, type, cards, dimensions, format")
    .argument("<files...>")
    .option("--json", "print one JSON array")
    .action((files: string[], options: { json?: boolean }) => {
      const all: ({ file: string; hdus: HduSummary[] } | { file: string; error: string })[] = [];
      let printed = 0;
      const failed = eachFile(
        files,
        (fits, file) => {
          const hdus = fits.hdus.map(summarize);
          all.push({ file, hdus });
          if (!options.json) console.log(`${printed++ > 0 ? "\n" : ""}${infoText(file, hdus)}`);
        },
        (file, error) => all.push({ file, error }),
      );
      if (options.json) console.log(JSON.stringify(all, null, 2));
      process.exitCode = failed > 0 ? 1 : 0;
    });

  fits
    .command("header")
    .description("print header cards like astropy's fitsheader: every HDU of every file unless -e or -k say otherwise")
    .argument("[files...]", "FITS files (-t FILE takes FILE as a file, not a format)")
    .option("-e, --extension <hdu>", "HDU index, EXTNAME or EXTNAME,EXTVER; repeatable", collect)
    .addOption(new Option("--ext <hdu>").argParser(collect).hideHelp())
    .option("-k, --keyword <keyword>", "only this keyword (wildcards *, ?, ...); repeatable", collect)
    .option("-t, --table [format]", "one row per card: ascii.fixed_width (default) or ascii.csv")
    .option("-f, --fitsort", "one row per file, one column per keyword")
    .option("-s, --sort <keyword>", "with -f: sort the rows by this column; repeatable", collect)
    .action((files: string[], options: HeaderOptions & { ext?: string[] }) => {
      const extension = [...(options.extension ?? []), ...(options.ext ?? [])];
      process.exitCode = fitsHeader(files, { ...options, extension: extension.length ? extension : undefined });
    });

  fits
    .command("verify")
    .description("check structure, cards, padding and checksums; exit 0 only when every file is clean")
    .argument("<files...>")
    .option("-q, --quiet", "one line per file, as fitsverify -q")
    .option("-e, --errors-only", "ignore warnings, as fitsverify -e")
    .option("--json", "print the problems and the summary as JSON")
    .action((files: string[], options: VerifyOptions) => {
      process.exitCode = fitsVerify(files, options);
    });
  registerFitsDiffCommand(fits);
}

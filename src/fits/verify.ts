import { CARD_LENGTH } from "./card.js";
import { FitsError, type FitsErrorCode } from "./errors.js";
import { BLOCK } from "./header.js";
import { FitsFile, type Hdu } from "./reader.js";
import { paddedSize } from "./structure.js";

export interface Problem {
  severity: "error" | "warning";
  code: FitsErrorCode;
  /** One line naming the file, HDU and card where known. */
  message: string;
}

/**
 * Checks a file's structure, cards, padding and checksums (where present). Reading continues past
 * problems that do not stop it, so that every problem is reported.
 */
export function verifyFile(path: string): Problem[] {
  let fits: FitsFile;
  try {
    fits = FitsFile.open(path);
  } catch (e) {
    if (e instanceof FitsError) return [{ severity: "error", code: e.code, message: e.message }];
    throw e;
  }
  const problems: Problem[] = [];
  const report = (severity: Problem["severity"], code: FitsErrorCode, detail: string, hdu?: number, card?: number) =>
    problems.push({ severity, code, message: new FitsError(code, detail, { file: path, hdu, card }).message });
  try {
    for (const hdu of fits.hdus) {
      try {
        checkHdu(fits, hdu, report);
      } catch (e) {
        if (!(e instanceof FitsError)) throw e;
        problems.push({ severity: "error", code: e.code, message: e.at({ file: path, hdu: hdu.index }).message });
      }
    }
    const last = fits.hdus[fits.hdus.length - 1];
    const end = last.dataOffset + paddedSize(last.dataBytes);
    if (fits.size < end)
      report("error", "BAD_PADDING", `file ends ${end - fits.size} bytes before its last 2880-byte block`);
    else if (fits.size > end) report("warning", "BAD_STRUCTURE", `${fits.size - end} bytes after the last HDU`);
  } finally {
    fits.close();
  }
  return problems;
}

type Report = (severity: Problem["severity"], code: FitsErrorCode, detail: string, hdu?: number, card?: number) => void;

/** Record-valued keyword cards (D2IM1 = 'EXTVER: 1') legitimately repeat a keyword. */
const RECORD_VALUE = /^\s*[A-Za-z_][\w.]*\s*:\s*\S+\s*$/;
const MANDATORY_PRIMARY = ["SIMPLE", "BITPIX", "NAXIS"];
const MANDATORY_EXTENSION = ["XTENSION", "BITPIX", "NAXIS"];

function checkHdu(fits: FitsFile, hdu: Hdu, report: Report): void {
  const { header, index } = hdu;
  const order = [
    ...(index === 0 ? MANDATORY_PRIMARY : MANDATORY_EXTENSION),
    ...hdu.axes.map((_, i) => `NAXIS${i + 1}`),
  ];
  if (index > 0) order.push("PCOUNT", "GCOUNT");
  if (hdu.type === "bintable" || hdu.type === "table") order.push("TFIELDS");
  order.forEach((keyword, i) => {
    if (header.cards[i]?.keyword !== keyword) {
      report(
        "error",
        "BAD_STRUCTURE",
        `card ${i + 1} should be ${keyword}, found ${header.cards[i]?.keyword ?? "nothing"}`,
        index,
        i + 1,
      );
    }
  });
  checkCounts(hdu, report);
  if (hdu.type === "other") {
    report(
      "error",
      "BAD_STRUCTURE",
      `XTENSION '${String(header.get("XTENSION")).trim()}' is not a registered extension type`,
      index,
      1,
    );
  }
  const seen = new Set<string>();
  header.cards.forEach((card, i) => {
    if (card.kind === "invalid") report("error", "BAD_CARD", `${card.keyword} has an unparsable value`, index, i + 1);
    if (!card.hierarch && card.kind !== "commentary" && !/^[A-Z0-9_-]{1,8}$/.test(card.keyword)) {
      report("error", "BAD_CARD", `keyword '${card.keyword}' has characters outside A-Z 0-9 _ -`, index, i + 1);
    }
    const recordValued = card.kind === "string" && RECORD_VALUE.test(String(card.value));
    if (card.kind !== "commentary" && card.keyword !== "CONTINUE" && !recordValued) {
      if (seen.has(card.keyword))
        report("warning", "BAD_CARD", `keyword ${card.keyword} appears more than once`, index, i + 1);
      seen.add(card.keyword);
    }
  });
  checkDates(hdu, report);
  checkWcsOrder(hdu, report);
  checkPadding(fits, hdu, report);
  const sums = fits.verifyChecksums(hdu);
  if (sums.datasum === false) report("error", "BAD_CHECKSUM", "DATASUM does not match the data", index);
  if (sums.checksum === false) report("error", "BAD_CHECKSUM", "CHECKSUM does not match the HDU", index);
}

/**
 * What the reader tolerates but the standard forbids: NAXISn beyond NAXIS (ignored, as astropy does),
 * tables without NAXIS = 2, PCOUNT/GCOUNT other than the extension type requires.
 */
function checkCounts(hdu: Hdu, report: Report): void {
  const { header, index, type } = hdu;
  const naxis = header.getInt("NAXIS");
  const table = type === "bintable" || type === "table";
  if (table && naxis !== 2)
    report("error", "BAD_STRUCTURE", `a ${type.toUpperCase()} needs NAXIS = 2, not ${naxis}`, index);
  for (let i = naxis + 1; !table && i <= 999; i++) {
    const at = header.indexOf(`NAXIS${i}`);
    if (at < 0) break;
    report("warning", "BAD_STRUCTURE", `NAXIS${i} is ignored: NAXIS = ${naxis}`, index, at + 1);
  }
  if (index === 0) return;
  const pcountOk = type === "bintable" || type === "other" || hdu.pcount === 0;
  const gcountOk = type === "other" || hdu.gcount === 1;
  if (!pcountOk) report("error", "BAD_VALUE", `PCOUNT = ${hdu.pcount} must be 0 in ${type} extensions`, index);
  if (!gcountOk) report("error", "BAD_VALUE", `GCOUNT = ${hdu.gcount} must be 1 in ${type} extensions`, index);
}

const DATE_KEYWORDS = new Set(["DATE", "DATE-OBS", "DATE-BEG", "DATE-END", "DATE-AVG"]);
const DATE_VALUE = /^(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?|\d{2}\/\d{2}\/\d{2})$/;

function checkDates(hdu: Hdu, report: Report): void {
  hdu.header.cards.forEach((card, i) => {
    if (DATE_KEYWORDS.has(card.keyword) && card.kind === "string" && !DATE_VALUE.test(String(card.value).trim())) {
      report(
        "error",
        "BAD_VALUE",
        `${card.keyword} '${card.value}' is not a FITS date (YYYY-MM-DD[Thh:mm:ss])`,
        hdu.index,
        i + 1,
      );
    }
  });
}

const WCS_KEYWORD = /^((CRPIX|CRVAL|CTYPE|CDELT|CUNIT|CROTA)\d+|(PC|CD)\d+_\d+)[A-Z]?$/;

/** WCSAXES, when present, must come before every other WCS keyword (FITS 4.0 §8.2). */
function checkWcsOrder(hdu: Hdu, report: Report): void {
  const cards = hdu.header.cards;
  cards.forEach((card, i) => {
    if (!/^WCSAXES[A-Z]?$/.test(card.keyword)) return;
    const before = cards.findIndex((c) => WCS_KEYWORD.test(c.keyword));
    if (before >= 0 && before < i) {
      report(
        "error",
        "BAD_STRUCTURE",
        `${card.keyword} appears after the WCS keyword ${cards[before].keyword}`,
        hdu.index,
        i + 1,
      );
    }
  });
}

function checkPadding(fits: FitsFile, hdu: Hdu, report: Report): void {
  const cardsBytes = (hdu.header.images().length + 1) * CARD_LENGTH;
  const headerTail = fits.readBytes(hdu.headerOffset + cardsBytes, hdu.headerBytes - cardsBytes);
  if (headerTail.some((b) => b !== 0x20))
    report("error", "BAD_PADDING", "header padding after END is not all blanks", hdu.index);
  const fill = hdu.type === "table" ? 0x20 : 0;
  const dataTail = fits.readPadding(hdu);
  if (dataTail.some((b) => b !== fill)) {
    report("error", "BAD_PADDING", `data padding is not all ${fill ? "blanks" : "zeros"}`, hdu.index);
  }
  if (hdu.dataBytes % BLOCK !== 0 && dataTail.byteLength < paddedSize(hdu.dataBytes) - hdu.dataBytes) {
    report("error", "BAD_PADDING", "data is not padded to a whole 2880-byte block", hdu.index);
  }
}

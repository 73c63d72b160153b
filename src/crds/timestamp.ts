/** Date parsing and formatting of the reference client (crds/core/timestamp.py), with Python's error texts. */
import { InvalidDatetimeError, PythonError } from "./errors.js";
import { pythonFloat, pythonInt, pythonStrRepr, pythonTruncate, unpackError } from "./python-format.js";

export interface DateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
}

const T_SEPARATED_DATE_RE = /^\d\d\d\d[-/]\d\d[-/]\d\dT\d\d(:\d\d){1,2}(\.\d{1,6})?$/;
const ALPHABETICAL_RE = /[A-Za-z]{3,10}/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH_DAY_YEAR_RE = /^\d\d\/\d\d\/\d\d\d\d$/;
const YEAR_MONTH_DAY_RE = /^\d\d\d\d\/\d\d\/\d\d$/;
const NINETEEN_HUNDREDS_RE = /^\d\d\/\d\d\/9\d$/;
const TWENTY_FIRST_CENT_RE = /^\d\d\/\d\d\/[0-3]\d$/;
const DATE_COLON_TIME_RE = /^\d\d\d\d\d\d\d\d:\d\d\d\d\d\d$/;

/** Python str.split() without arguments. */
function splitWords(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === "" ? [] : trimmed.split(/\s+/);
}

/** timestamp.parse_date. */
export function parseDate(input: string): DateTime {
  let date = input;
  if (date.includes("UNDEFINED")) {
    throw new InvalidDatetimeError("One or more required date/time values is UNDEFINED");
  }
  if (date.endsWith(" UT")) date = date.slice(0, -3);
  if (T_SEPARATED_DATE_RE.test(date)) date = date.replaceAll("T", " ");
  return ALPHABETICAL_RE.test(date) ? parseAlphabeticalDate(date) : parseNumericalDate(date);
}

/** timestamp.reformat_date: 'YYYY-MM-DD HH:MM:SS[.ffffff]'. */
export function reformatDate(date: string): string {
  return formatDate(parseDate(date));
}

/** datetime.isoformat(' '). */
export function formatDate(d: DateTime): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const base = `${String(d.year).padStart(4, "0")}-${two(d.month)}-${two(d.day)} ${two(d.hour)}:${two(d.minute)}:${two(d.second)}`;
  return d.microsecond === 0 ? base : `${base}.${String(d.microsecond).padStart(6, "0")}`;
}

function monthNumber(month: string, initialDate: string): number {
  const abbreviation = month.slice(0, 3);
  const capitalized = abbreviation.charAt(0).toUpperCase() + abbreviation.slice(1).toLowerCase();
  const index = MONTHS.indexOf(capitalized);
  if (index < 0) {
    throw new PythonError(
      "ValueError",
      `Invalid month value ${pythonStrRepr(month)} in base date ${pythonStrRepr(initialDate)}`,
    );
  }
  return index + 1;
}

function parseAlphabeticalDate(initialDate: string): DateTime {
  let date = initialDate;
  while (date.toLowerCase().endsWith(" am")) date = date.toLowerCase().replaceAll(" am", "am");
  while (date.toLowerCase().endsWith(" pm")) date = date.toLowerCase().replaceAll(" pm", "pm");
  date = date.replaceAll("-", " ").replaceAll("/", " ");
  const words = splitWords(date);
  let [month, day, year, time] = words;
  if (words.length !== 4) {
    if (words.length !== 3) throw unpackError(3, words.length);
    time = "00:00AM";
  }
  if (day.endsWith(",")) day = day.slice(0, -1);
  let imonth: number;
  let iday: number;
  let iyear: number;
  try {
    imonth = monthNumber(month, initialDate);
    iday = pythonInt(day);
    iyear = pythonInt(year);
  } catch {
    [day, month] = [month, day];
    imonth = monthNumber(month, initialDate);
    iday = pythonInt(day);
    iyear = pythonInt(year);
  }
  const [hour, minute, second, microsecond] = parseTime(time);
  return makeDateTime(iyear, imonth, iday, hour, minute, second, microsecond);
}

/** timestamp.parse_time -> [hour, minute, second, microsecond]. */
export function parseTime(input: string): [number, number, number, number] {
  let time = input.trim();
  let ampm = "";
  const suffix = time.slice(-2).toUpperCase();
  if (suffix === "AM" || suffix === "PM") {
    ampm = suffix;
    time = time.slice(0, -2);
  }
  const parts = time.split(":");
  if (parts.length < 2 || parts.length > 4) throw unpackError(4, parts.length);
  const [hourText, minuteText, secondText = "00"] = parts;
  let hour = pythonInt(hourText);
  const minute = pythonInt(minuteText);
  const seconds = pythonFloat(secondText);
  const second = pythonTruncate(seconds);
  const microsecond = pythonTruncate((seconds - second) * 10 ** 6);
  if (ampm === "PM" && hour < 12) hour += 12;
  else if (ampm === "AM" && hour === 12) hour -= 12;
  return [hour, minute, second, microsecond];
}

function parseNumericalDate(input: string): DateTime {
  const dstr = input.replaceAll("-", "/");
  const parts = splitWords(dstr);
  if (parts.length === 0) throw new PythonError("IndexError", "list index out of range");
  const date = parts[0];
  const time = parts.length === 1 ? "00:00:00" : parts.slice(1).join(" ");
  let [hour, minute, second, microsecond] = parseTime(time);
  let fields: string[];
  if (MONTH_DAY_YEAR_RE.test(date)) {
    const [m, d, y] = date.split("/");
    fields = [y, m, d];
  } else if (YEAR_MONTH_DAY_RE.test(date)) {
    fields = date.split("/");
  } else if (NINETEEN_HUNDREDS_RE.test(date)) {
    const [d, m, y] = date.split("/");
    fields = [`19${y}`, m, d];
  } else if (TWENTY_FIRST_CENT_RE.test(date)) {
    const [d, m, y] = date.split("/");
    fields = [`20${y}`, m, d];
  } else if (DATE_COLON_TIME_RE.test(date)) {
    fields = [date.slice(0, 4), date.slice(4, 6), date.slice(6, 8)];
    hour = pythonInt(date.slice(9, 11));
    minute = pythonInt(date.slice(11, 13));
    second = pythonInt(date.slice(13, 15));
    microsecond = 0;
  } else {
    throw new PythonError("ValueError", `Unknown numerical date format: ${pythonStrRepr(dstr)}`);
  }
  const [year, month, day] = fields.map(pythonInt);
  return makeDateTime(year, month, day, hour, minute, second, microsecond);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** datetime.datetime(...) with its range checks and messages. */
function makeDateTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  microsecond: number,
): DateTime {
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new PythonError("ValueError", message);
  };
  check(year >= 1 && year <= 9999, `year ${year} is out of range`);
  check(month >= 1 && month <= 12, "month must be in 1..12");
  check(day >= 1 && day <= daysInMonth(year, month), "day is out of range for month");
  check(hour >= 0 && hour <= 23, "hour must be in 0..23");
  check(minute >= 0 && minute <= 59, "minute must be in 0..59");
  check(second >= 0 && second <= 59, "second must be in 0..59");
  check(microsecond >= 0 && microsecond <= 999999, "microsecond must be in 0..999999");
  return { year, month, day, hour, minute, second, microsecond };
}

/** Days since 1970-01-01 of a proleptic Gregorian date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** abs(date1 - date2).total_seconds(), computed from exact integer microseconds as Python does. */
export function absTimeDeltaSeconds(a: DateTime, b: DateTime): number {
  const micro = (d: DateTime) =>
    ((BigInt(daysFromCivil(d.year, d.month, d.day)) * 24n + BigInt(d.hour)) * 60n + BigInt(d.minute)) * 60_000_000n +
    BigInt(d.second) * 1_000_000n +
    BigInt(d.microsecond);
  let delta = micro(a) - micro(b);
  if (delta < 0n) delta = -delta;
  return Number(delta) / 1e6;
}

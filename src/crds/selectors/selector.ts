/** The Selector protocol shared by Match, UseAfter, SelectVersion, ClosestTime, Bracket, GeometricallyNearest. */
import { AmbiguousMatchError, CrdsLookupError, PythonError, ValidationError } from "../errors.js";
import { pythonFloat, pythonStrRepr } from "../python-format.js";

/** Dataset parameters as seen by selectors: keyword -> value (already conditioned at the bestrefs level). */
export type Header = Readonly<Record<string, string>>;

/** A terminal value of a selector: a file name, a tuple of names, or a dict of names. */
export type Leaf = string | readonly string[] | Readonly<Record<string, string>>;

/** What choose() returns: a leaf, or a tuple of results (equal-weight files, Bracket pairs). */
export type Result = Leaf | readonly Result[];

export type Choice = Leaf | Selector;

export abstract class Selector {
  abstract readonly shortName: string;

  constructor(readonly parameters: readonly string[]) {}

  abstract choose(header: Header): Result;

  /** Every leaf name reachable from this selector (special values included). */
  abstract leafNames(): string[];

  /** Combines equal-weight alternatives of a Match; only UseAfter-like selectors support it. */
  merge(_other: Selector): Selector {
    throw new AmbiguousMatchError(
      `More than one match was found at the same weight and ${this.shortName} does not support merging.`,
    );
  }
}

export function resolveChoice(choice: Choice, header: Header): Result {
  return choice instanceof Selector ? choice.choose(header) : choice;
}

/** Selector.choose for selectors that yield a single selection: nested lookup errors are summarised. */
export function chooseSingle(choice: Choice, header: Header): Result {
  try {
    return resolveChoice(choice, header);
  } catch (error) {
    if (error instanceof CrdsLookupError) {
      throw new CrdsLookupError(`All lookup attempts failed. last exception: ${error.message}`);
    }
    throw error;
  }
}

export function leafNamesOf(choice: Choice): string[] {
  if (choice instanceof Selector) return choice.leafNames();
  if (typeof choice === "string") return [choice];
  if (Array.isArray(choice)) return [...(choice as readonly string[])];
  return Object.values(choice as Readonly<Record<string, string>>);
}

/** Selector._check_defined: a missing parameter is an error unless N/A is among its rmap values. */
export function checkDefined(
  shortName: string,
  parameters: readonly string[],
  parkeyValues: (name: string) => readonly string[] | string | undefined,
  header: Header,
): void {
  for (const name of parameters) {
    if (Object.hasOwn(header, name)) continue;
    const values = parkeyValues(name);
    if (values !== undefined && !values.includes("N/A")) {
      throw new ValidationError(`${shortName} required lookup parameter ${pythonStrRepr(name)} is undefined.`);
    }
  }
}

/** header[name] with Python's KeyError. */
export function requireValue(header: Header, name: string): string {
  if (!Object.hasOwn(header, name)) throw new PythonError("KeyError", pythonStrRepr(name));
  return header[name];
}

/** Selector._validate_number. */
export function validateNumber(shortName: string, name: string, value: string): number {
  try {
    return pythonFloat(value);
  } catch {
    throw new ValidationError(`${shortName} Invalid number for ${pythonStrRepr(name)} value = ${pythonStrRepr(value)}`);
  }
}

/** Python's comparison of plain strings (code point order). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

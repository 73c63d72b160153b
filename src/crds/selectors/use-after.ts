/** UseAfterSelector: the greatest date key <= the dataset's date, compared as strings. */
import { AmbiguousMatchError, InvalidDatetimeError, UseAfterError, ValidationError } from "../errors.js";
import { pythonStrRepr, pythonStrSeqRepr } from "../python-format.js";
import { reformatDate } from "../timestamp.js";
import {
  type Choice,
  checkDefined,
  chooseSingle,
  compareStrings,
  type Header,
  leafNamesOf,
  type Result,
  Selector,
} from "./selector.js";

export interface DatedChoice {
  key: string;
  choice: Choice;
}

/** Selector._validate_datetime: reformat or raise the client's ValidationError. */
export function validateDatetime(shortName: string, parameters: readonly string[], value: string): string {
  try {
    return reformatDate(value);
  } catch (error) {
    throw new ValidationError(
      `${shortName} Invalid date/time format for ${pythonStrSeqRepr(parameters, true)} value = ${pythonStrRepr(value)} exception is ${pythonStrRepr((error as Error).message)}`,
    );
  }
}

export class UseAfterSelector extends Selector {
  readonly shortName: string = "UseAfter";
  protected readonly selections: readonly DatedChoice[];

  constructor(parameters: readonly string[], selections: readonly DatedChoice[], alreadySorted = false) {
    super(parameters);
    this.selections = alreadySorted ? selections : [...selections].sort((a, b) => compareStrings(a.key, b.key));
  }

  /** A selector of the same class over `selections` (used by merge). */
  protected derive(selections: readonly DatedChoice[]): UseAfterSelector {
    return new UseAfterSelector(this.parameters, selections, true);
  }

  choose(header: Header): Result {
    checkDefined(this.shortName, this.parameters, () => "*", header);
    const date = validateDatetime(this.shortName, this.parameters, this.rawDate(header));
    return chooseSingle(this.select(date).choice, header);
  }

  /** The dataset date: the parameter values stripped and joined with single spaces. */
  protected rawDate(header: Header): string {
    const parts: string[] = [];
    for (const name of this.parameters) {
      const value = header[name].trim();
      if (value === "UNDEFINED") {
        throw new InvalidDatetimeError(`UseAfter parameter ${pythonStrRepr(name)} is UNDEFINED.`);
      }
      parts.push(value);
    }
    return parts.join(" ");
  }

  protected select(date: string): DatedChoice {
    let low = 0;
    let high = this.selections.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (date >= this.selections[mid].key) low = mid + 1;
      else high = mid;
    }
    if (low === 0) throw new UseAfterError(`No selection <= ${pythonStrRepr(date)}`);
    return this.selections[low - 1];
  }

  /** Union of the dated entries; on the same date the greater file name wins. */
  override merge(other: Selector): Selector {
    if (!(other instanceof UseAfterSelector)) {
      throw new AmbiguousMatchError(`Cannot merge ${this.shortName} with ${other.shortName}.`);
    }
    const merged: DatedChoice[] = [];
    const own = [...this.selections];
    const theirs = [...other.selections];
    while (own.length > 0 && theirs.length > 0) {
      const a = own[0];
      const b = theirs[0];
      if (a.key < b.key) merged.push(own.shift()!);
      else if (b.key < a.key) merged.push(theirs.shift()!);
      else {
        own.shift();
        theirs.shift();
        merged.push(greaterChoice(a.choice, b.choice) ? a : b);
      }
    }
    merged.push(...own, ...theirs);
    return this.derive(merged);
  }

  leafNames(): string[] {
    return this.selections.flatMap((s) => leafNamesOf(s.choice));
  }
}

/** Python `a >= b` for the choices of a merge collision (file names in practice). */
function greaterChoice(a: Choice, b: Choice): boolean {
  if (typeof a === "string" && typeof b === "string") return a >= b;
  return true;
}

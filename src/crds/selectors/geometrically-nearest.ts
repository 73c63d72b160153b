/** GeometricallyNearestSelector: the key nearest to the dataset value (numpy float32 distances, first on ties). */
import { conditionValue } from "../conditioning.js";
import { PythonError } from "../errors.js";
import { pythonFloat } from "../python-format.js";
import type { PyValue } from "../python-values.js";
import {
  type Choice,
  checkDefined,
  chooseSingle,
  compareStrings,
  type Header,
  leafNamesOf,
  type Result,
  requireValue,
  Selector,
  validateNumber,
} from "./selector.js";

export class GeometricallyNearestSelector extends Selector {
  readonly shortName = "GeometricallyNearest";
  private readonly selections: ReadonlyArray<{ key: string; choice: Choice }>;
  private readonly values: readonly string[];

  constructor(parameters: readonly string[], selections: ReadonlyArray<[PyValue, Choice]>) {
    super(parameters);
    this.selections = selections
      .map(([key, choice]) => ({ key: conditionValue(key), choice }))
      .sort((a, b) => compareStrings(a.key, b.key));
    this.values = [...new Set(this.selections.map((s) => s.key))].sort(compareStrings);
  }

  choose(header: Header): Result {
    checkDefined(this.shortName, this.parameters, () => this.values, header);
    const name = this.parameters[0];
    const target = Math.fround(validateNumber(this.shortName, name, requireValue(header, name)));
    if (this.selections.length === 0) {
      throw new PythonError("ValueError", "attempt to get argmin of an empty sequence");
    }
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const [i, selection] of this.selections.entries()) {
      const distance = Math.abs(Math.fround(Math.fround(pythonFloat(selection.key)) - target));
      if (distance < bestDistance) {
        best = i;
        bestDistance = distance;
      }
    }
    return chooseSingle(this.selections[best].choice, header);
  }

  leafNames(): string[] {
    return this.selections.flatMap((s) => leafNamesOf(s.choice));
  }
}

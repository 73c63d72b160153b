/** BracketSelector: the pair of choices whose numeric keys enclose the dataset value. */
import { pythonFloat } from "../python-format.js";
import { type PyValue, pyStr } from "../python-values.js";
import {
  type Choice,
  type Header,
  leafNamesOf,
  type Result,
  requireValue,
  resolveChoice,
  Selector,
  validateNumber,
} from "./selector.js";

export class BracketSelector extends Selector {
  readonly shortName = "Bracket";
  private readonly selections: ReadonlyArray<{ key: number; choice: Choice }>;

  constructor(parameters: readonly string[], selections: ReadonlyArray<[PyValue, Choice]>) {
    super(parameters);
    this.selections = selections
      .map(([key, choice]) => ({ key: pythonFloat(pyStr(key)), choice }))
      .sort((a, b) => a.key - b.key);
  }

  choose(header: Header): Result {
    const name = this.parameters[0];
    const value = validateNumber(this.shortName, name, requireValue(header, name));
    const selections = this.selections;
    let index = 0;
    while (index < selections.length && value > selections[index].key) index++;
    let less: number;
    let greater: number;
    if (index === selections.length) less = greater = index - 1;
    else if (index === 0 || value === selections[index].key) less = greater = index;
    else [less, greater] = [index - 1, index];
    const lower = resolveChoice(selections[less].choice, header);
    const upper = less === greater ? lower : resolveChoice(selections[greater].choice, header);
    return [lower, upper];
  }

  leafNames(): string[] {
    return this.selections.flatMap((s) => leafNamesOf(s.choice));
  }
}

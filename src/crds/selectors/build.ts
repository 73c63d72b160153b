/** Builds the Selector tree of an rmap from its parsed selector calls (Parameters.instantiate). */
import { MappingFormatError } from "../errors.js";
import { PyCall, PyDict, PyList, PyTuple, type PyValue, pyStr } from "../python-values.js";
import { BracketSelector } from "./bracket.js";
import { ClosestTimeSelector } from "./closest-time.js";
import { GeometricallyNearestSelector } from "./geometrically-nearest.js";
import { type MatchOptions, MatchSelector } from "./match.js";
import { SelectVersionSelector } from "./select-version.js";
import type { Choice, Leaf, Selector } from "./selector.js";
import { UseAfterSelector } from "./use-after.js";

export type { MatchOptions };

/** Converts a terminal value of the selector tree. */
function toLeaf(value: PyValue): Leaf {
  if (value instanceof PyTuple || value instanceof PyList) return value.items.map(pyStr);
  if (value instanceof PyDict) {
    const out: Record<string, string> = {};
    for (const [k, v] of value.entries) out[pyStr(k)] = pyStr(v);
    return out;
  }
  return pyStr(value);
}

function parametersOf(level: PyValue | undefined, file: string): string[] {
  if (level instanceof PyTuple || level instanceof PyList) return level.items.map(pyStr);
  throw new MappingFormatError(`${file}: parkey must be a tuple of tuples, one per selector level`);
}

export function buildSelector(
  call: PyCall,
  parkeys: readonly PyValue[],
  options: MatchOptions,
  file: string,
  level = 0,
): Selector {
  const parameters = parametersOf(parkeys[level], file);
  const selections: Array<[PyValue, Choice]> = call.argument.entries.map(([key, value]) => [
    key,
    value instanceof PyCall ? buildSelector(value, parkeys, options, file, level + 1) : toLeaf(value),
  ]);
  switch (call.name) {
    case "Match":
      return new MatchSelector(parameters, selections, options);
    case "UseAfter":
      return new UseAfterSelector(
        parameters,
        selections.map(([key, choice]) => ({ key: pyStr(key), choice })),
      );
    case "ClosestTime":
      return new ClosestTimeSelector(
        parameters,
        selections.map(([key, choice]) => ({ key: pyStr(key), choice })),
      );
    case "SelectVersion":
      return new SelectVersionSelector(parameters, selections);
    case "Bracket":
      return new BracketSelector(parameters, selections);
    case "GeometricallyNearest":
      return new GeometricallyNearestSelector(parameters, selections);
    default:
      throw new MappingFormatError(`${file}:${call.at.line}:${call.at.column}: ${call.name} is not supported for HST`);
  }
}

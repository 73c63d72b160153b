/** ClosestTimeSelector: the date key nearest to the dataset date (numpy float32 distances, first on ties). */
import { PythonError } from "../errors.js";
import { absTimeDeltaSeconds, parseDate } from "../timestamp.js";
import { type DatedChoice, UseAfterSelector } from "./use-after.js";

export class ClosestTimeSelector extends UseAfterSelector {
  override readonly shortName = "ClosestTime";

  protected override derive(selections: readonly DatedChoice[]): UseAfterSelector {
    return new ClosestTimeSelector(this.parameters, selections, true);
  }

  protected override select(date: string): DatedChoice {
    if (this.selections.length === 0) {
      throw new PythonError("ValueError", "attempt to get argmin of an empty sequence");
    }
    const target = parseDate(date);
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const [i, selection] of this.selections.entries()) {
      const distance = Math.fround(absTimeDeltaSeconds(target, parseDate(selection.key)));
      if (distance < bestDistance) {
        best = i;
        bestDistance = distance;
      }
    }
    return this.selections[best];
  }
}

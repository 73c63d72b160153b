/** Header changes a calibration step asks for: keywords per header, HISTORY lines and warnings. */

export type KeywordValue = string | number | boolean;

export interface HeaderUpdates {
  primary: Record<string, KeywordValue>;
  sci: Record<string, KeywordValue>;
  err: Record<string, KeywordValue>;
  dq: Record<string, KeywordValue>;
  /** HISTORY lines for the primary header, in order. */
  history: string[];
  /** Messages for the trailer file. */
  warnings: string[];
}

export function emptyUpdates(): HeaderUpdates {
  return { primary: {}, sci: {}, err: {}, dq: {}, history: [], warnings: [] };
}

/** Appends `more` to `into` (later keyword values win, lines are concatenated). */
export function mergeUpdates(into: HeaderUpdates, more: Partial<HeaderUpdates>): HeaderUpdates {
  Object.assign(into.primary, more.primary);
  Object.assign(into.sci, more.sci);
  Object.assign(into.err, more.err);
  Object.assign(into.dq, more.dq);
  if (more.history) into.history.push(...more.history);
  if (more.warnings) into.warnings.push(...more.warnings);
  return into;
}

/**
 * BADTCORR of an FUV segment: the BADTTAB rows of the segment (SEGMENT, START, STOP in MJD) flag the events in
 * them; the intervals (seconds since EXPSTART) are returned for the good-time intervals and the counts, or
 * undefined when the switch is not PERFORM.
 */
import { basename } from "node:path";
import { checkedRows } from "../../calib/common/table-schema.js";
import { badTimesOf, flagBadTimes, type Interval } from "../../calib/cos/badtcorr.js";
import type { CorrtagEvents } from "../../calib/cos/events.js";
import { selectRows } from "../../calib/cos/table-select.js";
import type { Header } from "../../fits/index.js";
import { type Env, readReferenceTable } from "../reference-files.js";
import { requiredReference } from "./switches.js";

export function badtcorr(
  primary: Header,
  _hdr: Header,
  events: CorrtagEvents,
  env: Env,
  segment: string,
  expstart: number,
): Interval[] | undefined {
  if (primary.getString("BADTCORR", "OMIT").trim().toUpperCase() !== "PERFORM") return undefined;
  const path = requiredReference(primary, "BADTTAB", env, "BADTCORR");
  const table = readReferenceTable("BADTTAB", path);
  const where = `BADTTAB ${basename(path)}[1]`;
  checkedRows(table.rows, { SEGMENT: "string", START: "number", STOP: "number" }, where);
  const rows = selectRows(table.rows, { SEGMENT: segment }).map((r) => ({
    START: Number(r.START),
    STOP: Number(r.STOP),
  }));
  const bad = badTimesOf(rows, expstart);
  flagBadTimes(events, bad);
  return bad;
}

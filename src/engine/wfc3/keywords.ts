/** What calwf3 reads from an exposure's primary header: detector, switches, CCDTAB selection. */
import { CalibrationError } from "../../calib/common/errors.js";
import { effectiveSwitch, readSwitch, type SwitchState } from "../../calib/common/switches.js";
import type { Four, Wf3CcdSelection } from "../../calib/wfc3/ccdtab.js";
import type { Header } from "../../fits/index.js";
import type { Detector } from "./references.js";

export function detectorOf(primary: Header): Detector {
  const detector = primary.getString("DETECTOR", "").trim().toUpperCase();
  if (detector !== "UVIS" && detector !== "IR") {
    throw new CalibrationError("HEADER_PROBLEM", `DETECTOR = '${detector}' is not UVIS or IR`);
  }
  return detector;
}

export function switchesOf<N extends string>(primary: Header, names: readonly N[]): Record<N, SwitchState> {
  return Object.fromEntries(names.map((n) => [n, effectiveSwitch(n, readSwitch(n, primary.get(n)))])) as Record<
    N,
    SwitchState
  >;
}

export function ccdSelection(primary: Header, sci: Header, detector: Detector): Wf3CcdSelection {
  // IR headers carry no CCDOFST: the CCDTAB row must say 0 there.
  const ofst = (a: string) => primary.getNumber(`CCDOFST${a}`, detector === "IR" ? 0 : 3);
  return {
    ccdamp: primary.getString("CCDAMP", "ABCD").trim(),
    ccdgain: primary.getNumber("CCDGAIN", detector === "IR" ? 2.5 : 1.5),
    ccdchip: sci.getInt("CCDCHIP", 1),
    ccdofst: ["A", "B", "C", "D"].map(ofst) as Four,
    binaxis: [primary.getInt("BINAXIS1", 1), primary.getInt("BINAXIS2", 1)],
  };
}

export const text = (h: Header, k: string, fallback = "") => String(h.get(k) ?? fallback).trim();

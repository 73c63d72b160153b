/**
 * Errors across the worker-thread boundary: structured cloning keeps only an Error's message, so a task's
 * error is sent as plain fields and rebuilt here as its own class (CalibrationError, FitsError) with its
 * code and step, and the task that threw it; the exit-code mapping then sees the class, not message text.
 */
import { CalibrationError, type CalibrationErrorCode } from "../calib/common/errors.js";
import { FitsError, type FitsErrorCode, type FitsLocation } from "../fits/index.js";

export interface SentError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  step?: string;
  detail?: string;
  location?: FitsLocation;
}

/** The fields of a thrown value that survive a postMessage (runs inside the worker: no imports). */
export function sendableError(error: unknown): SentError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const e = error as Error & Partial<Omit<SentError, "name" | "message" | "stack">>;
  return {
    name: e.name,
    message: e.message,
    stack: e.stack,
    code: e.code,
    step: e.step,
    detail: e.detail,
    location: e.location,
  };
}

/** A task's error on the calling thread, as its own class; `task` names the worker function that threw it. */
export function rebuiltError(sent: SentError, task: string): Error {
  let error: Error;
  if (sent.name === "CalibrationError" && sent.code) {
    error = new CalibrationError(sent.code as CalibrationErrorCode, sent.message, { step: sent.step });
  } else if (sent.name === "FitsError" && sent.code) {
    error = new FitsError(sent.code as FitsErrorCode, sent.detail ?? sent.message, sent.location ?? {});
  } else {
    error = Object.assign(new Error(sent.message), { name: sent.name, ...(sent.code ? { code: sent.code } : {}) });
  }
  if (sent.stack) error.stack = sent.stack;
  return Object.assign(error, { task });
}

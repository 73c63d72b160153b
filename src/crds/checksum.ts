/** The sha1sum embedded in CRDS mappings (Mapping._get_checksum / _check_hash of the reference client). */
import { createHash } from "node:crypto";
import { ChecksumError } from "./errors.js";

/** The mapping text as Python reads it in text mode: universal newlines. */
export function pythonTextMode(raw: string): string {
  return raw.replace(/\r\n?/g, "\n");
}

/** Python str.splitlines(keepends=True) for text without carriage returns. */
function splitLinesKeepEnds(text: string): string[] {
  return text.split(/(?<=[\n\v\f\x1c\x1d\x1e\x85\u2028\u2029])/).filter((line) => line !== "");
}

/** SHA-1 (hex) of the UTF-8 text after deleting every line that contains "sha1sum". */
export function mappingChecksum(text: string): string {
  const kept = splitLinesKeepEnds(pythonTextMode(text))
    .filter((line) => !line.includes("sha1sum"))
    .join("");
  return createHash("sha1").update(kept, "utf8").digest("hex");
}

/** Throws ChecksumError unless `recorded` matches the text's checksum. */
export function verifyMappingChecksum(text: string, recorded: string | undefined, file: string): void {
  const name = file.split("/").pop() ?? file;
  if (recorded === undefined) throw new ChecksumError(`sha1sum is missing in '${name}'`);
  if (mappingChecksum(text) !== recorded) throw new ChecksumError(`sha1sum mismatch in '${name}'`);
}

import { FitsError } from "./errors.js";
import type { Header } from "./header.js";
import { FitsFile, type Hdu } from "./reader.js";
import { copyData, FitsWriter, type WriterOptions } from "./writer.js";

/**
 * Rewrites a file with edited headers and untouched data (atomically: the new file replaces the old
 * one only when complete). The edit must not change what the structural keywords say about the data.
 * CHECKSUM/DATASUM are recomputed where present unless options say otherwise.
 */
export function rewriteHeaders(
  path: string,
  edit: (header: Header, hdu: Hdu) => void,
  options: WriterOptions = { checksum: "preserve" },
): void {
  const file = FitsFile.open(path);
  let writer: FitsWriter | undefined;
  try {
    if (file.isCompressed)
      throw new FitsError("UNSUPPORTED", "cannot rewrite a compressed file in place", { file: path });
    writer = new FitsWriter(path, options);
    for (const hdu of file.hdus) {
      const header = hdu.header.clone();
      edit(header, hdu);
      const read = (offset: number, length: number) => file.readBytes(hdu.dataOffset + offset, length);
      writer.writeRaw(header, hdu.dataBytes, copyData(read, hdu.dataBytes));
    }
    file.close();
    writer.close();
  } catch (e) {
    writer?.abort();
    file.close();
    throw e;
  }
}

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/**
 * The ETags S3 may give a file of `size` bytes: the hex MD5 when it was sent whole, and when it can have been sent
 * in parts of `partSize` bytes, the MD5 of the parts' MD5s followed by `-<parts>`. Reads the file once, streamed.
 */
export async function expectedEtags(path: string, size: number, partSize: number): Promise<string[]> {
  const whole = createHash("md5");
  const partDigests: Buffer[] = [];
  let part = createHash("md5");
  let inPart = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partSize - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === partSize) {
        partDigests.push(part.digest());
        part = createHash("md5");
        inPart = 0;
      }
    }
  }
  if (inPart > 0) partDigests.push(part.digest());
  const etags = [whole.digest("hex")];
  if (size >= partSize) {
    etags.push(`${createHash("md5").update(Buffer.concat(partDigests)).digest("hex")}-${partDigests.length}`);
  }
  return etags;
}

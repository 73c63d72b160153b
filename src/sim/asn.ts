/** The association table (calibration.md §7): primary header + ASN BINTABLE of MEMNAME, MEMTYPE, MEMPRSNT. */
import { FitsWriter, Header } from "../fits/index.js";
import type { DetectorModel } from "./detectors.js";

/** The two names the table's primary header needs (COS is no DetectorModel). */
export type AsnInstrument = { instrument: string; detector: string } | Pick<DetectorModel, "instrument" | "detector">;

export interface AsnMember {
  name: string;
  type: string;
  present: boolean;
}

export function writeAsnTable(
  path: string,
  asnId: string,
  model: AsnInstrument,
  members: AsnMember[],
  targname: string,
) {
  const primary = new Header()
    .set("NEXTEND", 1, { comment: "Number of standard extensions" })
    .set("FILENAME", `${asnId}_asn.fits`, { comment: "name of file" })
    .set("FILETYPE", "ASN_TABLE", { comment: "type of data found in data file" })
    .set("TELESCOP", "HST", { comment: "telescope used to acquire data" })
    .set("INSTRUME", model.instrument, { comment: "identifier for instrument used to acquire data" })
    .set("DETECTOR", model.detector, { comment: "detector in use" })
    .set("ROOTNAME", asnId, { comment: "rootname of the observation set" })
    .set("TARGNAME", targname, { comment: "proposer's target name" })
    .set("ASN_ID", asnId.toUpperCase(), { comment: "unique identifier assigned to association" })
    .set("ASN_TAB", `${asnId}_asn.fits`, { comment: "name of the association table" })
    .addCommentary("HISTORY", "Simulated by caldp sim: synthetic data, not an HST observation.");
  const table = new Header()
    .set("EXTNAME", "ASN", { comment: "extension name" })
    .set("EXTVER", 1, { comment: "extension version number" })
    .set("ASN_ID", asnId.toUpperCase(), { comment: "unique identifier assigned to association" });
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    writer.writeTable(
      table,
      [
        { name: "MEMNAME", data: members.map((m) => m.name.toUpperCase()), format: "14A" },
        { name: "MEMTYPE", data: members.map((m) => m.type), format: "14A" },
        { name: "MEMPRSNT", data: members.map((m) => m.present) },
      ],
      members.length,
    );
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/** Association tables (`*_asn.fits`, calibration.md §7): members, product, and the CR-SPLIT / RPT-OBS kind. */
import { FitsFile } from "../fits/index.js";

export interface AssociationMember {
  /** Lower-case root name, as used in file names. */
  name: string;
  /** Lower-case MEMTYPE with '_' turned into '-' (e.g. exp-crj, prod-crj). */
  type: string;
  present: boolean;
}

export interface Association {
  path: string;
  members: AssociationMember[];
  /** Present exposures, in table order. */
  exposures: AssociationMember[];
  /** The CR-combined / summed sub-product, when there is one. */
  product?: AssociationMember;
  crcorr: boolean;
  rptcorr: boolean;
}

export function readAssociation(path: string): Association {
  const file = FitsFile.open(path);
  let members: AssociationMember[];
  try {
    const table = file.readTable(1);
    const column = (name: string) => table.columns.find((c) => c.name.toUpperCase() === name)?.data as unknown[];
    const names = column("MEMNAME") as string[];
    const types = column("MEMTYPE") as string[];
    const present = column("MEMPRSNT") as (boolean | null)[];
    members = names.map((name, i) => ({
      name: name.trim().toLowerCase(),
      type: types[i].trim().toLowerCase().replaceAll("_", "-"),
      present: present?.[i] !== false,
    }));
  } finally {
    file.close();
  }
  const exposures = members.filter((m) => m.type.startsWith("exp-") && m.present);
  const product = members.find((m) => m.type.startsWith("prod-") && m.type !== "prod-dth");
  return {
    path,
    members,
    exposures,
    product,
    crcorr: members.some((m) => m.type.includes("-cr")),
    rptcorr: members.some((m) => m.type.includes("-rp")),
  };
}

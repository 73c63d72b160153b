/**
 * A CR-SPLIT association of WFC3/UVIS corner subarrays (calibration.md §7): the members of
 * wfc3-subarray.ts share references and scene, each with its own noise and cosmic rays, plus the
 * association table naming the `_crj` product.
 */
import { join } from "node:path";
import { writeAsnTable } from "./asn.js";
import { type SimulatedUvisSubarray, simulateUvisSubarray, type UvisSubarrayOptions } from "./wfc3-subarray.js";

export interface SimulatedUvisSubarrayAssociation {
  asn: string;
  product: string;
  members: { rootname: string; sim: SimulatedUvisSubarray }[];
}

/** The members' options (a corner subarray with its prescan unless `kind` says otherwise). */
export type UvisSubarrayMemberOptions = Partial<
  Pick<UvisSubarrayOptions, "kind" | "flashdur" | "shading" | "satufile" | "cte">
>;

/** `asnId` is an association IPPPSSOOT ending in 0; members are …a1q, …a2q, the product …1. */
export function simulateUvisSubarrayAssociation(
  options: {
    asnId: string;
    out: string;
    count?: number;
    seed?: number;
  } & UvisSubarrayMemberOptions,
): SimulatedUvisSubarrayAssociation {
  const count = options.count ?? 2;
  const prefix = options.asnId.slice(0, 6);
  const members = Array.from({ length: count }, (_, k) => {
    const rootname = `${prefix}a${k + 1}q`;
    const association = { id: options.asnId, count, member: k + 1 };
    return {
      rootname,
      sim: simulateUvisSubarray({
        rootname,
        out: options.out,
        kind: options.kind ?? "prescan",
        seed: options.seed,
        flashdur: options.flashdur,
        shading: options.shading,
        satufile: options.satufile,
        cte: options.cte,
        association,
      }),
    };
  });
  const product = `${options.asnId.slice(0, 8)}1`;
  const asn = join(options.out, `${options.asnId}_asn.fits`);
  const rows = members.map((m) => ({ name: m.rootname, type: "EXP-CRJ", present: true }));
  rows.push({ name: product, type: "PROD-CRJ", present: true });
  writeAsnTable(asn, options.asnId, members[0].sim.model, rows, "CALDP-SIM-FIELD");
  return { asn, product, members };
}

/**
 * The reference files an ACS exposure needs, resolved from its primary header (jref$…) and loaded in the
 * main thread into the records the ACS steps take.
 */
import type { Acs2dReferences } from "../../calib/acs/acs2d.js";
import type { AcsCcdReferences, TableReference } from "../../calib/acs/acsccd.js";
import { CCDTAB_COLUMNS } from "../../calib/acs/ccdtab.js";
import { ACS_BPIXTAB_COLUMNS } from "../../calib/acs/dqicorr.js";
import { OSCNTAB_COLUMNS } from "../../calib/acs/oscntab.js";
import { ACS_CCD_ALWAYS, ACS_CCD_STEPS } from "../../calib/acs/steps.js";
import { CRREJTAB_COLUMNS, type CrrejColumns } from "../../calib/common/crrejtab.js";
import { CalibrationError } from "../../calib/common/errors.js";
import type { Imphttab } from "../../calib/common/imphttab.js";
import type { ReferenceImage } from "../../calib/common/reference-image.js";
import { imageReferences, isOptionalReference, neededReferences } from "../../calib/common/steps.js";
import { checkedRows, type TableSchema } from "../../calib/common/table-schema.js";
import type { Header } from "../../fits/index.js";
import { readImphttab } from "../imphttab-file.js";
import { type ReferenceName, type ReferenceNames, resolveReferenceNames } from "../program-files.js";
import {
  type Env,
  type ReferenceImageFile as LoadedImage,
  readReferenceImage,
  readReferenceTable,
  SHARED_REFERENCE_TASK,
} from "../reference-files.js";
import { type RowReferenceFile, rowReferenceFile } from "../reference-rows-file.js";
import { loadSharedImages } from "../shared-references.js";
import type { WorkerPool } from "../worker-pool.js";
import type { AcsSwitches } from "./keywords.js";

/**
 * Resolves every reference the switches need (the step table's, calibration.md §3.1; CCDTAB always); a
 * missing file is a CAL_FILE_MISSING naming keyword and path.
 */
export function resolveReferences(primary: Header, switches: AcsSwitches, env: Env): ReferenceNames {
  const optional = (keyword: string) =>
    isOptionalReference(ACS_CCD_STEPS, keyword, (k) => primary.get(k) !== undefined);
  return resolveReferenceNames(primary, neededReferences(ACS_CCD_STEPS, switches, ACS_CCD_ALWAYS), optional, env);
}

/** ACSCCD's references its workers read a band of rows at a time from the file (reference-rows-file.ts). */
const READ_BY_ROWS = ["BIASFILE", "SATUFILE"];

const IMAGE_KEYWORDS = {
  ccd: imageReferences(ACS_CCD_STEPS, "ccd").filter((k) => !READ_BY_ROWS.includes(k)),
  twoD: imageReferences(ACS_CCD_STEPS, "2d"),
};

/** ACSCCD's references as its task takes them: BIASFILE and SATUFILE located in their files, not read. */
export type CcdReferenceFiles = Omit<AcsCcdReferences, "bias" | "satufile"> & {
  bias?: RowReferenceFile | ReferenceImage;
  satufile?: RowReferenceFile | ReferenceImage;
};

function imageRecord(ref: ReferenceName, image: LoadedImage): ReferenceImage {
  return { name: ref.name, pedigree: image.pedigree, descrip: image.descrip, imsets: image.imsets };
}

/**
 * References loaded once in the main thread for a round of tasks: images in shared memory (every worker
 * reads the same pixels), tables and IMPHTTAB as plain data. Drop it after the round to free the images.
 */
export class LoadedReferences {
  private readonly loaded = new Map<string, unknown>();

  private once<T>(key: string, load: () => T): T {
    if (!this.loaded.has(key)) this.loaded.set(key, load());
    return this.loaded.get(key) as T;
  }

  /** A table's rows, checked against its schema (an error names keyword, file, extension and column). */
  table<Row>(
    keyword: string,
    ref: ReferenceName | undefined,
    schema: TableSchema<Row>,
  ): TableReference<Row> | undefined {
    if (!ref) return undefined;
    return this.once(`table:${ref.path}`, () => {
      const t = readReferenceTable(keyword, ref.path);
      return {
        name: ref.name,
        pedigree: t.pedigree,
        descrip: t.descrip,
        rows: checkedRows(t.rows, schema, `${keyword} ${ref.path} extension 1`),
        // hstcal compares (int)CCDGAIN only for 32/64-bit columns (IRAF_INT); 1I and 1B are read as floats.
        gainColumnIsInteger: ["J", "K"].includes(t.columnTypes.CCDGAIN ?? ""),
      };
    });
  }

  /** An image reference with its PEDIGREE and DESCRIP ("" when absent), as both the CCD and 2-D steps take it. */
  image(keyword: string, ref: ReferenceName | undefined): ReferenceImage | undefined {
    if (!ref) return undefined;
    return this.once(`image:${ref.path}`, () =>
      imageRecord(ref, readReferenceImage(keyword, ref.path, { shared: true })),
    );
  }

  /** Reads the image references the members need for a step, several at once on the pool's threads. */
  async preload(pool: WorkerPool, step: "ccd" | "twoD", members: readonly ReferenceNames[]): Promise<void> {
    const wanted = new Map<string, [string, ReferenceName]>();
    for (const names of members) {
      for (const keyword of IMAGE_KEYWORDS[step]) {
        const ref = names[keyword];
        if (ref && !this.loaded.has(`image:${ref.path}`) && !wanted.has(ref.path)) wanted.set(ref.path, [keyword, ref]);
      }
    }
    const list = [...wanted.values()];
    const images: LoadedImage[] = await pool.run(
      SHARED_REFERENCE_TASK,
      list.map(([keyword, ref]) => ({ keyword, path: ref.path })),
    );
    list.forEach(([, ref], n) => {
      this.loaded.set(`image:${ref.path}`, imageRecord(ref, images[n]!));
    });
  }

  /** An image reference its workers read by rows: its headers (a compressed file: read whole, in shared memory). */
  rows(keyword: string, ref: ReferenceName | undefined): RowReferenceFile | ReferenceImage | undefined {
    if (!ref) return undefined;
    return this.once(`rows:${ref.path}`, () => rowReferenceFile(ref) ?? this.image(keyword, ref));
  }

  imphttab(ref: ReferenceName | undefined): Imphttab | undefined {
    if (!ref) return undefined;
    return this.once(`imphttab:${ref.path}`, () => readImphttab(ref.name, ref.path));
  }

  ccd(names: ReferenceNames): CcdReferenceFiles {
    const ccdtab = this.table("CCDTAB", names.CCDTAB, CCDTAB_COLUMNS);
    if (!ccdtab) throw new CalibrationError("CAL_FILE_MISSING", "CCDTAB is needed");
    return {
      ccdtab,
      oscntab: this.table("OSCNTAB", names.OSCNTAB, OSCNTAB_COLUMNS) ?? {
        name: "N/A",
        pedigree: "",
        descrip: "",
        rows: [],
      },
      bpixtab: this.table("BPIXTAB", names.BPIXTAB, ACS_BPIXTAB_COLUMNS),
      bias: this.rows("BIASFILE", names.BIASFILE),
      satufile: this.rows("SATUFILE", names.SATUFILE),
      snkcfile: this.image("SNKCFILE", names.SNKCFILE),
    };
  }

  twoD(names: ReferenceNames): Acs2dReferences {
    return {
      dark: this.image("DARKFILE", names.DARKFILE),
      flash: this.image("FLSHFILE", names.FLSHFILE),
      flats: {
        pflt: this.image("PFLTFILE", names.PFLTFILE),
        dflt: this.image("DFLTFILE", names.DFLTFILE),
        lflt: this.image("LFLTFILE", names.LFLTFILE),
      },
      shading: this.image("SHADFILE", names.SHADFILE),
      imphttab: this.imphttab(names.IMPHTTAB),
    };
  }

  /**
   * The ACS2D references of each member with only the imsets of CCDCHIP `chip`, read into shared memory
   * (one copy of each file for all members); the 2-D steps choose their reference imsets by chip.
   */
  async twoDOfChip(pool: WorkerPool, members: readonly ReferenceNames[], chip: number): Promise<Acs2dReferences[]> {
    const uses = members.map((references) => ({ references, chips: [chip] }));
    const images = await loadSharedImages(pool, IMAGE_KEYWORDS.twoD, uses);
    return members.map((names, n) => {
      const image = images[n]!;
      return {
        dark: image.DARKFILE,
        flash: image.FLSHFILE,
        flats: { pflt: image.PFLTFILE, dflt: image.DFLTFILE, lflt: image.LFLTFILE },
        shading: image.SHADFILE,
        imphttab: this.imphttab(names.IMPHTTAB),
      };
    });
  }

  /** CRREJTAB, its rows checked against the columns ACSREJ reads. */
  crrejtab(names: ReferenceNames): TableReference<CrrejColumns> | undefined {
    return this.table("CRREJTAB", names.CRREJTAB, CRREJTAB_COLUMNS);
  }
}

export type { ReferenceName, ReferenceNames };

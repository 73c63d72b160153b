/**
 * The proof that an engine refactor changes no product: simulates every ACS and WFC3 case the engine tests
 * use and the STIS/CCD CR-SPLIT image and long-slit spectra (CR-SPLIT and single, with their wavecal), runs
 * a built engine (`<dist>/cli/caldp.js calacs|calwf3|calstis`, as caldp runs it) on each, and prints one
 * line per HDU of every product: sha256 of its data and of its header cards, read here with a plain FITS
 * block parser (not our library). Cards that legitimately differ between runs are left out (VOLATILE);
 * trailers (.tra) are left out. Run it on two builds and diff the outputs:
 *
 *   node --import tsx scripts/engine-products-digest.ts --dist /tmp/dist-before > /tmp/digest-before.txt
 *   node --import tsx scripts/engine-products-digest.ts --dist dist > /tmp/digest-after.txt
 *   diff /tmp/digest-before.txt /tmp/digest-after.txt
 *
 * Options: --dist DIR (default dist), --cases a,b (default all), --keep (keep the work folder).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { type SimulateOptions, simulateDataset } from "../src/sim/index.js";
import { simulateUvisBinned } from "../src/sim/wfc3-binned.js";
import { simulateIrSubarray } from "../src/sim/wfc3-ir-subarray.js";
import { simulateUvisSubarray } from "../src/sim/wfc3-subarray.js";
import { simulateUvisSubarrayAssociation } from "../src/sim/wfc3-subarray-asn.js";

/** Cards whose value depends on when or where the product was written, not on the calibration. */
const VOLATILE = new Set(["DATE", "IRAF-TLM", "CHECKSUM", "DATASUM"]);

interface Case {
  name: string;
  program: "calacs" | "calwf3" | "calstis";
  /** Simulates into `dir`; returns the engine's inputs and its reference environment. */
  simulate: (dir: string) => { inputs: string[]; env: Record<string, string> };
}

const jref = (referenceDir: string) => ({ jref: `${referenceDir}/` });
const iref = (referenceDir: string) => ({ iref: `${referenceDir}/` });
const oref = (referenceDir: string) => ({ oref: `${referenceDir}/` });
/** A STIS/CCD case: the raw (and its wavecal, beside it) through `caldp calstis`. */
const stis = (name: string, options: Omit<SimulateOptions, "out">): Case => ({
  name,
  program: "calstis",
  simulate: (out) => {
    const sim = simulateDataset({ ...options, out });
    return { inputs: [sim.exposures[0].raw], env: oref(sim.referenceDir) };
  },
});

const CASES: Case[] = [
  {
    name: "acs-wfc-pre-sm4-crsplit",
    program: "calacs",
    simulate: (out) => {
      const sim = simulateDataset({ dataset: "j8cb010b0", out, detector: "WFC", exposures: 2, seed: 1 });
      return { inputs: [sim.asn!], env: jref(sim.referenceDir) };
    },
  },
  {
    name: "acs-wfc-post-sm4-crsplit",
    program: "calacs",
    simulate: (out) => {
      const sim = simulateDataset({ dataset: "jb5t010e0", out, epoch: "post-sm4", exposures: 2, seed: 5 });
      return { inputs: [sim.asn!], env: jref(sim.referenceDir) };
    },
  },
  {
    name: "acs-hrc-crsplit",
    program: "calacs",
    simulate: (out) => {
      const sim = simulateDataset({ dataset: "j8cb010b0", out, detector: "HRC", seed: 9 });
      return { inputs: [sim.asn!], env: jref(sim.referenceDir) };
    },
  },
  {
    name: "acs-sbc-rptobs",
    program: "calacs",
    simulate: (out) => {
      const sim = simulateDataset({ dataset: "j9sb010a0", out, detector: "SBC", exposures: 2, seed: 5 });
      return { inputs: [sim.asn!], env: jref(sim.referenceDir) };
    },
  },
  {
    name: "acs-sbc-single",
    program: "calacs",
    simulate: (out) => {
      const sim = simulateDataset({ dataset: "j9sb03xyq", out, detector: "SBC", seed: 7 });
      return { inputs: [sim.exposures[0].raw], env: jref(sim.referenceDir) };
    },
  },
  {
    name: "wfc3-uvis-full-crsplit",
    program: "calwf3",
    simulate: (out) => {
      const sim = simulateDataset({ dataset: "iabc04010", out, detector: "UVIS", exposures: 2, seed: 21 });
      return { inputs: [sim.asn!], env: iref(sim.referenceDir) };
    },
  },
  {
    name: "wfc3-uvis-subarray-prescan-flash-shading-satufile",
    program: "calwf3",
    simulate: (out) => {
      const sim = simulateUvisSubarray({
        rootname: "iabc05s1q",
        out,
        kind: "prescan",
        seed: 5,
        flashdur: 12,
        shading: true,
        satufile: true,
      });
      return { inputs: [sim.raw], env: iref(sim.referenceDir) };
    },
  },
  {
    name: "wfc3-uvis-subarray-inner",
    program: "calwf3",
    simulate: (out) => {
      const sim = simulateUvisSubarray({ rootname: "iabc05s2q", out, kind: "inner", seed: 5 });
      return { inputs: [sim.raw], env: iref(sim.referenceDir) };
    },
  },
  {
    name: "wfc3-uvis-subarray-crsplit",
    program: "calwf3",
    simulate: (out) => {
      const sim = simulateUvisSubarrayAssociation({ asnId: "iabc08010", out, seed: 5 });
      return { inputs: [join(out, "iabc08010_asn.fits")], env: iref(sim.members[0].sim.referenceDir) };
    },
  },
  {
    name: "wfc3-uvis-binned",
    program: "calwf3",
    simulate: (out) => {
      const sim = simulateUvisBinned({ rootname: "iabc07b1q", out, seed: 2 });
      return { inputs: [sim.raw], env: iref(sim.referenceDir) };
    },
  },
  {
    // PCTECORR (minutes of CPU): serial and parallel correction after SM4, _flc and _crc beside _flt and _crj.
    name: "acs-wfc-post-sm4-cte-crsplit",
    program: "calacs",
    simulate: (out) => {
      const sim = simulateDataset({ dataset: "jb5t050b0", out, epoch: "post-sm4", exposures: 2, seed: 15, cte: true });
      return { inputs: [sim.asn!], env: jref(sim.referenceDir) };
    },
  },
  {
    name: "acs-wfc-pre-sm4-cte-single",
    program: "calacs",
    simulate: (out) => {
      const sim = simulateDataset({
        dataset: "j8cb07ctq",
        out,
        detector: "WFC",
        seed: 17,
        dateObs: "2008-06-02T10:11:12Z",
        cte: true,
      });
      return { inputs: [sim.exposures[0].raw], env: jref(sim.referenceDir) };
    },
  },
  {
    name: "wfc3-uvis-cte-single",
    program: "calwf3",
    simulate: (out) => {
      const sim = simulateDataset({
        dataset: "iabc05ctq",
        out,
        detector: "UVIS",
        seed: 23,
        cte: true,
        dateObs: "2016-03-02T10:11:12Z",
      });
      return { inputs: [sim.exposures[0].raw], env: iref(sim.referenceDir) };
    },
  },
  {
    name: "wfc3-ir-full",
    program: "calwf3",
    simulate: (out) => {
      const sim = simulateDataset({ dataset: "iabc02xyq", out, detector: "IR", nsamp: 8, seed: 11 });
      return { inputs: [sim.exposures[0].raw], env: iref(sim.referenceDir) };
    },
  },
  {
    name: "wfc3-ir-subarray",
    program: "calwf3",
    simulate: (out) => {
      const sim = simulateIrSubarray({ rootname: "iabc06s1q", out, seed: 7, nsamp: 8 });
      return { inputs: [sim.raw], env: iref(sim.referenceDir) };
    },
  },
  stis("stis-ccd-crsplit", { dataset: "o8ab01010", detector: "CCD", exposures: 2, seed: 11 }),
  stis("stis-ccd-longslit-crsplit", { dataset: "o8ss01010", spectroscopic: true, seed: 31 }),
  stis("stis-ccd-longslit-single", { dataset: "o8ss01abq", spectroscopic: true, seed: 3 }),
];

interface HduDigest {
  header: string;
  data: string;
  cards: number;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

/** Every HDU of a FITS file: header blocks up to END, then the data blocks (NAXISn, BITPIX, PCOUNT, GCOUNT). */
export function digestFits(path: string): HduDigest[] {
  const bytes = readFileSync(path);
  const hdus: HduDigest[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const cards: string[] = [];
    const values = new Map<string, string>();
    let end = false;
    while (!end) {
      if (offset + 2880 > bytes.length) throw new Error(`${path}: header past the end of the file`);
      for (let k = 0; k < 36 && !end; k++) {
        const card = bytes.toString("latin1", offset + k * 80, offset + (k + 1) * 80);
        const keyword = card.slice(0, 8).trimEnd();
        if (keyword === "END") end = true;
        else if (!VOLATILE.has(keyword)) cards.push(card);
        if (card.slice(8, 10) === "= ") values.set(keyword, card.slice(10).split("/")[0].trim());
      }
      offset += 2880;
    }
    const number = (k: string, otherwise: number) => (values.has(k) ? Number(values.get(k)) : otherwise);
    const naxis = number("NAXIS", 0);
    let elements = naxis > 0 ? 1 : 0;
    for (let a = 1; a <= naxis; a++) elements *= number(`NAXIS${a}`, 0);
    const size = (Math.abs(number("BITPIX", 8)) / 8) * number("GCOUNT", 1) * (number("PCOUNT", 0) + elements);
    const data = bytes.subarray(offset, offset + size);
    hdus.push({ header: sha256(Buffer.from(cards.join(""), "latin1")), data: sha256(data), cards: cards.length });
    offset += Math.ceil(size / 2880) * 2880;
  }
  return hdus;
}

function parseArgs(argv: string[]) {
  const options = { dist: "dist", cases: CASES.map((c) => c.name), keep: false };
  for (let k = 0; k < argv.length; k++) {
    if (argv[k] === "--dist") options.dist = argv[++k];
    else if (argv[k] === "--cases") options.cases = argv[++k].split(",");
    else if (argv[k] === "--keep") options.keep = true;
    else throw new Error(`unknown argument '${argv[k]}' (--dist DIR, --cases a,b, --keep)`);
  }
  for (const name of options.cases) {
    if (!CASES.some((c) => c.name === name)) throw new Error(`unknown case '${name}'`);
  }
  return options;
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const caldp = join(resolve(options.dist), "cli", "caldp.js");
  const work = mkdtempSync(join(tmpdir(), "engine-digest-"));
  try {
    for (const c of CASES.filter((c) => options.cases.includes(c.name))) {
      const dir = join(work, c.name);
      mkdirSync(dir, { recursive: true });
      const { inputs, env } = c.simulate(dir);
      const before = new Set(readdirSync(dir));
      const started = process.hrtime.bigint();
      execFileSync(process.execPath, [caldp, c.program, ...inputs.map((i) => basename(i))], {
        cwd: dir,
        env: { ...process.env, ...env },
        stdio: ["ignore", "ignore", "inherit"],
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const products = readdirSync(dir).filter((n) => !before.has(n) && n.endsWith(".fits"));
      console.error(`${c.name}: ${products.length} products in ${seconds.toFixed(1)} s`);
      for (const name of products.sort()) {
        digestFits(join(dir, name)).forEach((h, k) => {
          console.log(`${c.name} ${name} hdu ${k} cards ${h.cards} header ${h.header} data ${h.data}`);
        });
      }
    }
  } finally {
    if (options.keep) console.error(`work folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main();

/**
 * A WFC3/UVIS subarray exposure read through amp C of UVIS2 (calibration.md §0.4, §4): either a corner
 * subarray that keeps the 25 physical prescan columns (LTV1 = 25, BLEVCORR from them) or an inner one
 * with no overscan at all (BLEVCORR subtracts the CCDTAB bias). The references cover a larger region of
 * the chip than the science (their own LTV), so calibration has to cut the right section out of each.
 * Optionally post-flashed, shutter-shaded, with a SATUFILE, or a member of a CR-SPLIT association
 * (wfc3-subarray-asn.ts); references in wfc3-subarray-references.ts, but for the SNKCFILE (full chips, its
 * sinks gathered under the subarray; wfc3-sinks.ts). Writes raw, references and truth;
 * no CRDS cache.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeAcsDrkcfile } from "./acs-cte.js";
import { exposeCcdChip, type PixelList } from "./ccd.js";
import { type AmpLayout, type ChipLayout, type DetectorModel, detectorModel } from "./detectors.js";
import { mjd, rawPrimaryHeader } from "./headers.js";
import { instrumentSetup } from "./instruments.js";
import { type ChipMaps, makeChipMaps } from "./maps.js";
import { Random } from "./random.js";
import { writeCcdRaw } from "./raw.js";
import { referenceKeyword } from "./reference-files.js";
import { writeCcdReferences } from "./references-ccd.js";
import { makeScene, type Scene } from "./scene.js";
import { writeTruthFile } from "./truth.js";
import {
  trailUvisChip,
  UVIS_CTE_RAW_KEYWORDS,
  wfc3UvisTrapModel,
  writeWfc3Biacfile,
  writeWfc3Pctetab,
} from "./wfc3-cte.js";
import { writeSinkMap } from "./wfc3-sinks.js";
import {
  flashRates,
  LOW_FULL_WELL,
  PRESCAN,
  REGION_NX,
  REGION_NY,
  type SubarrayKind,
  shadingSeconds,
  writeBias,
  writeFlash,
  writeSaturation,
  writeShading,
  writeTables,
} from "./wfc3-subarray-references.js";

export { LOW_FULL_WELL };

export type UvisSubarrayKind = SubarrayKind;

export interface UvisSubarrayOptions {
  rootname: string;
  out: string;
  kind: UvisSubarrayKind;
  seed?: number;
  exptime?: number;
  /** Post-flash duration (s); > 0 adds FLSHFILE × FLASHDUR electrons and sets FLSHCORR = PERFORM. */
  flashdur?: number;
  /** Shutter shading: every pixel sees EXPTIME + SHADFILE seconds of the scene; sets SHADCORR = PERFORM. */
  shading?: boolean;
  /** Write a SATUFILE (e): the full well on the left half of the region, LOW_FULL_WELL on the right half. */
  satufile?: boolean;
  /**
   * CTE trails (wfc3-cte.ts) in the raw, a PCTETAB, BIACFILE and DRKCFILE of the region, the raw's CTE keywords and
   * PCTECORR = PERFORM (calwf3 corrects a subarray with physical overscan, refuses one without).
   */
  cte?: boolean;
  /** Member of a CR-SPLIT association (its id and size): CRCORR = PERFORM, own noise, later start. */
  association?: { id: string; count: number; member: number };
}

export interface SimulatedUvisSubarray {
  raw: string;
  referenceDir: string;
  references: Record<string, string>;
  truth: string;
  /** The scene (e-/s) per science pixel of the subarray, the cosmic rays and saturated pixels. */
  scene: Scene;
  cosmicRays: PixelList;
  saturated: PixelList;
  model: DetectorModel;
  /** Science-pixel size and corner on the chip (0-based). */
  nx: number;
  ny: number;
  corner: [number, number];
  ltv: [number, number];
}

const SUBARRAYS: Record<UvisSubarrayKind, { x0: number; y0: number; nx: number; ny: number }> = {
  prescan: { x0: 0, y0: 40, nx: 400, ny: 256 },
  inner: { x0: 64, y0: 32, nx: 384, ny: 256 },
};
function layout(amp: AmpLayout, prescan: number, nx: number, ny: number): ChipLayout {
  const a = { ...amp, rawX0: 0, rawX1: prescan + nx, sciRawX0: prescan, sciX0: 0, sciWidth: nx };
  return { extver: 1, ccdchip: 2, rawNx: prescan + nx, rawNy: ny, sciRawY0: 0, sciNx: nx, sciNy: ny, amps: [a] };
}

/** The part of the region maps under the subarray (bias with the raw columns, the rest science). */
function cropMaps(region: ChipMaps, chip: ChipLayout, x0: number, y0: number, prescan: number): ChipMaps {
  const { sciNx, sciNy, rawNx } = chip;
  const bias = new Float32Array(rawNx * sciNy);
  const dark = new Float32Array(sciNx * sciNy);
  const flat = new Float32Array(sciNx * sciNy);
  const rawX0 = PRESCAN - prescan + x0;
  for (let y = 0; y < sciNy; y++) {
    const from = (y + y0) * region.chip.rawNx + rawX0;
    bias.set(region.bias.subarray(from, from + rawNx), y * rawNx);
    const s = (y + y0) * region.chip.sciNx + x0;
    dark.set(region.dark.subarray(s, s + sciNx), y * sciNx);
    flat.set(region.flat.subarray(s, s + sciNx), y * sciNx);
  }
  const inside = (x: number, y: number) => x >= x0 && x < x0 + sciNx && y >= y0 && y < y0 + sciNy;
  return {
    chip,
    bias,
    dark,
    flat,
    hotPixels: region.hotPixels.filter((p) => inside(p.x, p.y)).map((p) => ({ ...p, x: p.x - x0, y: p.y - y0 })),
    badColumns: region.badColumns.filter((x) => x >= x0 && x < x0 + sciNx).map((x) => x - x0),
  };
}

export function simulateUvisSubarray(options: UvisSubarrayOptions): SimulatedUvisSubarray {
  const seed = options.seed ?? 1;
  const exptime = options.exptime ?? 400;
  const flashdur = options.flashdur ?? 0;
  const sub = SUBARRAYS[options.kind];
  const full = detectorModel("WFC3", "UVIS");
  const ampC = full.chips.find((ch) => ch.ccdchip === 2)!.amps[0];
  const random = new Random(seed);
  const regionChip = layout(ampC, PRESCAN, REGION_NX, REGION_NY);
  const model: DetectorModel = { ...full, ccdamp: "C", chips: [regionChip] };
  const region = makeChipMaps(model, regionChip, random.fork("maps"));
  // An 8 % pixel-to-pixel flat texture: a reference section misplaced by one pixel shows in the residuals.
  const texture = random.fork("flat texture");
  for (let k = 0; k < region.flat.length; k++) region.flat[k] *= 1 + 0.08 * Math.max(-2, Math.min(2, texture.normal()));
  const prescan = options.kind === "prescan" ? PRESCAN : 0;
  const chip = layout(ampC, prescan, sub.nx, sub.ny);
  const maps = cropMaps(region, chip, sub.x0, sub.y0, prescan);
  const referenceDir = join(options.out, "references");
  const truthDir = join(options.out, "truth");
  mkdirSync(referenceDir, { recursive: true });
  mkdirSync(truthDir, { recursive: true });

  const setup = instrumentSetup(model, false);
  const c = { model, maps: [region], seed, dir: referenceDir, ...setup };
  const refs = [
    ...writeCcdReferences(c, ["darkfile", "pfltfile", "bpixtab", "imphttab", "crrejtab"]),
    // Full chips, as the real SNKCFILE: calwf3.e embeds the subarray in a full chip and reads the map there.
    writeSinkMap(
      { model: full, maps: full.chips.map((ch) => ({ chip: ch }) as ChipMaps), seed, dir: referenceDir },
      {
        ccdchip: 2,
        ...sub,
      },
    ),
    writeBias(c, region, options.kind),
    ...writeTables(
      c,
      full.chips.flatMap((ch) => ch.amps),
    ),
  ];
  if (flashdur > 0) refs.push(writeFlash(c, region));
  if (options.shading) refs.push(writeShading(c));
  if (options.satufile) refs.push(writeSaturation(c, region));
  const traps = options.cte ? wfc3UvisTrapModel() : undefined;
  if (traps) refs.push(writeWfc3Pctetab(c, traps), writeWfc3Biacfile(c), writeAcsDrkcfile(c));

  const scene = makeScene({
    nx: sub.nx,
    ny: sub.ny,
    sky: model.sky,
    psfSigma: 1,
    maxStarFlux: (model.fullWell / exptime) * 30,
    random: random.fork("scene"),
  });
  // The post-flash adds its charge like a dark current would over the exposure.
  const flash = flashRates();
  const exposed =
    flashdur > 0
      ? {
          ...maps,
          dark: maps.dark.map((d, k) => {
            const at = (Math.floor(k / sub.nx) + sub.y0) * REGION_NX + (k % sub.nx) + sub.x0;
            return d + (flash[at] * flashdur) / exptime;
          }),
        }
      : maps;
  const shad = shadingSeconds();
  const rate = options.shading
    ? scene.rate.map((v, k) => {
        const at = (Math.floor(k / sub.nx) + sub.y0) * REGION_NX + (k % sub.nx) + sub.x0;
        return v * (1 + shad[at] / exptime);
      })
    : scene.rate;
  const member = options.association?.member ?? 0;
  const exposureRandom = random.fork(member ? `exposure/${member}` : "exposure");
  const start = Date.parse("2012-06-05T10:21:44Z") / 1000 + member * (exptime + 120);
  const trails = traps && ((electrons: Float32Array) => trailUvisChip(electrons, chip, traps, mjd(start)));
  const result = exposeCcdChip(model, exposed, rate, exptime, exptime, exposureRandom, undefined, trails);

  const ltv: [number, number] = [options.kind === "prescan" ? PRESCAN : -sub.x0, -sub.y0];
  const keyword = (name: string) => referenceKeyword(model, refs, name);
  const switches = setup.switches.map(([k, v]): [string, string] => [
    k,
    (k === "FLSHCORR" && flashdur > 0) ||
    (k === "SHADCORR" && options.shading) ||
    (k === "CRCORR" && options.association) ||
    (k === "PCTECORR" && options.cte)
      ? "PERFORM"
      : v,
  ]);
  const primary = rawPrimaryHeader({
    rootname: options.rootname,
    model,
    spectralElements: setup.spectralElements,
    aperture: options.kind === "prescan" ? "UVIS2-C512C-SUB" : "UVIS2-M512C-SUB",
    start,
    exptime,
    targname: "CALDP-SIM-FIELD",
    ra: 150.1163,
    dec: 2.2058,
    crsplit: options.association?.count ?? 1,
    asn: options.association
      ? { id: options.association.id, table: `${options.association.id}_asn.fits`, memtype: "EXP-CRJ" }
      : undefined,
    nextend: 3,
    switches,
    references: setup.referenceKeywords.map((k) => [k, keyword(k)]),
    extra: [
      ...setup.extra.map(([k, v, comment]): [string, string | number | boolean, string] => [
        k,
        k === "FLASHDUR" ? flashdur : k === "FLASHSTA" && flashdur > 0 ? "SUCCESSFUL" : v,
        comment,
      ]),
      ...(options.cte ? UVIS_CTE_RAW_KEYWORDS : []),
    ],
  }).set("SUBARRAY", true);
  if (options.satufile)
    primary.set("SATUFILE", keyword("SATUFILE"), { comment: "full-well saturation map", after: "SNKCFILE" });
  const raw = join(options.out, `${options.rootname}_raw.fits`);
  writeCcdRaw(raw, primary, { rootname: options.rootname, model, ra: 150.1163, dec: 2.2058 }, [
    {
      chip,
      extver: 1,
      raw: result.raw,
      finish: (h) => h.set("LTV1", ltv[0], { float: true }).set("LTV2", ltv[1], { float: true }),
    },
  ]);
  const truth = join(truthDir, `${options.rootname}_truth.fits`);
  const events = [
    { rootname: options.rootname, chips: [{ ccdchip: 2, cosmicRays: result.cosmicRays, saturated: result.saturated }] },
  ];
  writeTruthFile(truth, { ...model, chips: [chip] }, [scene], [maps], events);
  return {
    raw,
    referenceDir,
    references: Object.fromEntries(refs.map((r) => [r.filekind.toUpperCase(), r.path])),
    truth,
    scene,
    cosmicRays: result.cosmicRays,
    saturated: result.saturated,
    model,
    nx: sub.nx,
    ny: sub.ny,
    corner: [sub.x0, sub.y0],
    ltv,
  };
}

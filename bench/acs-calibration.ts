// ACS/WFC CR-SPLIT calibration end to end (read raws, ACSCCD, ACSREJ, ACS2D, write flt + crj): caldp's native
// calacs against Debian's ccdproc + astroscrappy (bench/peers/acs_ccdproc.py) on the same simulated raws and
// references (4096×2048×2 per exposure, simulator seed 11).
// usage: npm run build && node --import tsx bench/acs-calibration.ts [--exposures 2,4] [--runs N] [--tsx]
//        [--peer-reject astroscrappy|sigmaclip]
// caldp runs its calacs engine as built (dist/, as the caldp command runs it; a build older than src/calib,
// src/engine or src/fits is refused) unless --tsx runs the sources through tsx. Each side runs as its own
// process under /usr/bin/time (wall, user + sys CPU, peak RSS of the whole process with its threads); the
// sides alternate, and the table gives the best of N runs (by wall) and the median wall of each side.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type SimulatedDataset, simulateDataset } from "../src/sim/index.js";
import { printTable, type Row } from "./report.js";
import { best, engineCommand, median, option, PYTHON, REPO, type Sample, timed } from "./timed-process.js";

const HERE = fileURLToPath(new URL(".", import.meta.url));

/** The peer's configuration: the files and the simulated WFC's layout (as in its CCDTAB and OSCNTAB). */
function peerConfig(sim: SimulatedDataset): object {
  return {
    raws: sim.exposures.map((e) => e.raw),
    bias: sim.references.BIASFILE,
    dark: sim.references.DARKFILE,
    flat: sim.references.PFLTFILE,
    product: sim.product,
    chips: sim.model.chips.map((chip) => ({
      extver: chip.extver,
      rows: [chip.sciRawY0, chip.sciRawY0 + chip.sciNy],
      amps: chip.amps.map((a) => {
        const prescan = chip.amps[0].sciRawX0;
        // BIASSECTA (4 … prescan−2) for the left amp, BIASSECTB (nx−prescan+3 … nx−1) for the right one.
        const overscan = a.rawX0 === 0 ? [3, prescan - 2] : [chip.rawNx - prescan + 2, chip.rawNx - 1];
        return {
          raw: [a.rawX0, a.rawX1],
          overscan,
          science: [a.sciRawX0, a.sciRawX0 + a.sciWidth],
          column: a.sciX0,
          gain: a.gain,
          readnoise: a.readNoise,
        };
      }),
    })),
  };
}

// The child imports calacs alone (as caldp-process's step does): argv = module URL, folder. (A file, not -e:
// eval'd worker threads would inherit --input-type=module.)
const CHILD = `import { join } from "node:path";
const [module, dir] = process.argv.slice(2);
const { calacs } = await import(module);
await calacs(["j8cb010b0_asn.fits"], { dir, env: { jref: join(dir, "crds", "references", "hst") + "/" }, log: () => {} });
`;

function caldpCommand(useTsx: boolean, scratch: string): string[] {
  return engineCommand("engine/acs/calacs", CHILD, useTsx, scratch);
}

async function main(): Promise<void> {
  const counts = option("--exposures", "2,4").split(",").map(Number);
  const runs = Number(option("--runs", "1"));
  const reject = option("--peer-reject", "astroscrappy");
  const useTsx = process.argv.includes("--tsx");
  const scratch = mkdtempSync(join(tmpdir(), "caldp-bench-acs-"));
  const caldp = caldpCommand(useTsx, scratch);
  const rows: Row[] = [];
  for (const n of counts) {
    const dir = join(scratch, `exposures-${n}`);
    const sim = simulateDataset({ dataset: "j8cb010b0", out: dir, detector: "WFC", exposures: n, seed: 11 });
    const config = join(dir, "peer.json");
    writeFileSync(config, JSON.stringify(peerConfig(sim)));
    const peerOut = join(dir, "peer");
    mkdirSync(peerOut);
    const ours: Sample[] = [];
    const theirs: Sample[] = [];
    for (let r = 0; r < runs; r++) {
      ours.push(timed(process.execPath, [...caldp, dir], REPO));
      theirs.push(timed(PYTHON, [join(HERE, "peers", "acs_ccdproc.py"), config, peerOut, "--reject", reject], REPO));
    }
    const a = best(ours);
    const b = best(theirs);
    const steps = JSON.parse(b.output.trim().split("\n").pop()!).times as Record<string, number>;
    rows.push({
      exposures: String(n),
      "caldp wall s": a.wall.toFixed(1),
      "caldp median wall s": median(ours, "wall").toFixed(1),
      "caldp cpu s": a.cpu.toFixed(1),
      "caldp RSS MB": a.rssMb.toFixed(0),
      [`ccdproc+${reject} wall s`]: b.wall.toFixed(1),
      "peer median wall s": median(theirs, "wall").toFixed(1),
      "peer cpu s": b.cpu.toFixed(1),
      "peer RSS MB": b.rssMb.toFixed(0),
      "wall ratio": (b.wall / a.wall).toFixed(1),
      "cpu ratio": (b.cpu / a.cpu).toFixed(1),
      "peer steps s": Object.entries(steps)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(", "),
    });
    rmSync(dir, { recursive: true, force: true });
  }
  rmSync(scratch, { recursive: true, force: true });
  const engine = useTsx ? "sources via tsx" : "built engine";
  printTable(
    `ACS/WFC CR-SPLIT, 4096×2048×2 per exposure, caldp ${engine}, best of ${runs} (ratio = peer / caldp)`,
    rows,
  );
}

await main();

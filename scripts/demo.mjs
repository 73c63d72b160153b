#!/usr/bin/env node
// The README's main job until the pipeline lands (issue 4): write a simulated ACS/WFC raw exposure
// with caldp's FITS library, then list and verify it with the caldp CLI. No network.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { FitsWriter, Header } from "../dist/fits/index.js";

const out = resolve(process.argv[2] ?? "out/demo");
mkdirSync(out, { recursive: true });
const path = join(out, "j8cb01u2q_raw.fits");

// A deterministic stand-in for a WFC raw: bias ~2000 DN + sky + read noise, a few saturated pixels.
let state = 12345;
const random = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
};
const primary = new Header()
  .set("ROOTNAME", "j8cb01u2q", { comment: "rootname of the observation set" })
  .set("INSTRUME", "ACS", { comment: "identifier for instrument used to acquire data" })
  .set("DETECTOR", "WFC", { comment: "detector in use: WFC, HRC, or SBC" })
  .set("FILTER1", "F555W")
  .set("FILTER2", "CLEAR2L")
  .set("DATE-OBS", "2002-04-13")
  .set("TIME-OBS", "18:16:35")
  .set("EXPTIME", 500, { float: true })
  .set("CCDGAIN", 2, { float: true })
  .set("NEXTEND", 6);
primary.addCommentary("HISTORY", "simulated by caldp's demo: not an HST observation");
const writer = new FitsWriter(path);
writer.writeImage(primary);
for (const chip of [2, 1]) {
  const sci = new Uint16Array(4144 * 2068);
  for (let i = 0; i < sci.length; i++) {
    const noise = (random() + random() + random() - 1.5) * 8;
    sci[i] = random() < 1e-4 ? 65535 : Math.round(2000 + 60 + noise);
  }
  const ext = (name) =>
    new Header()
      .set("EXTNAME", name)
      .set("EXTVER", chip === 2 ? 1 : 2)
      .set("CCDCHIP", chip);
  writer.writeImage(ext("SCI").set("BUNIT", "COUNTS"), sci, [4144, 2068]);
  writer.writeConstantImage(ext("ERR"), 0, [4144, 2068], -32);
  writer.writeConstantImage(ext("DQ"), 0, [4144, 2068], 16);
}
writer.close();

const cli = (args) => spawnSync(process.execPath, [resolve("dist/cli/caldp.js"), ...args], { stdio: "inherit" });
cli(["fits", "info", path]);
const verify = cli(["fits", "verify", path]);
console.log(`\nsimulated raw file: ${path}`);
process.exit(verify.status ?? 1);

import { Command } from "commander";
import { VERSION } from "../version.js";

/** caldp's top-level command, before its subcommands are added. */
export function rootCommand(): Command {
  return new Command("caldp")
    .description("Hubble Space Telescope calibration data pipeline")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
}

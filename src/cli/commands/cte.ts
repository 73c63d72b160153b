import type { Command } from "commander";
import { cteForwardFile } from "../../engine/cte/forward-file.js";

export function registerCteCommands(program: Command): void {
  const cte = program.command("cte").description("pixel-based CTE (ACS/WFC)");
  cte
    .command("forward")
    .description("add the CTE trails of the PCTETAB's model to trimmed full frames in electrons → <root>_ctefmod.fits")
    .argument("<inputs...>", "_blc_tmp, _flc or _flt files (PCTETAB from their header, $jref)")
    .option("--pctetab <path>", "use this PCTETAB instead of the header's")
    .action((inputs: string[], options: { pctetab?: string }) => {
      for (const input of inputs) console.log(cteForwardFile(input, { env: process.env, pctetab: options.pctetab }));
    });
}

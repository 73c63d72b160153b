// Every command's --help ends with examples of that command (caldp's own also with the environment and exit
// status), and `caldp completion bash|zsh` completes the commands and options the program really has, in a
// real bash (and zsh when installed).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Command } from "commander";
import { buildProgram } from "../../src/cli/caldp.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { skipUnlessInstalled } from "../helpers/skip.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-help-completion-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The subcommand names a --help output lists under Commands:, without commander's `help`. */
function listedCommands(help: string): string[] {
  const section = help.split(/\n\n/).find((part) => part.startsWith("Commands:"));
  if (section === undefined) return [];
  // a command's line is indented by two spaces; the wrapped rest of a description by more
  return section
    .split("\n")
    .slice(1)
    .flatMap((line) => /^ {2}(\S+)/.exec(line)?.[1] ?? [])
    .filter((name) => name !== "help");
}

/** Each command's path ("" for caldp) and its --help text, as commander prints it. */
async function allHelps(): Promise<Map<string, string>> {
  const helps = new Map<string, string>();
  const walk = (command: Command, path: string) => {
    let text = "";
    command.configureOutput({ writeOut: (s) => (text += s) });
    command.outputHelp();
    helps.set(path, text);
    for (const sub of command.commands) walk(sub, `${path} ${sub.name()}`.trim());
  };
  walk(await buildProgram(), "");
  return helps;
}

test("every command's --help ends with examples that run that command", async () => {
  const helps = await allHelps();
  assert.ok(helps.size >= 20, [...helps.keys()].join(", "));
  for (const [path, help] of helps) {
    const examples = help.split("\nExamples:\n")[1]?.split("\n\n")[0];
    assert.ok(examples, `caldp ${path} --help has no Examples section`);
    const lines = examples.trimEnd().split("\n");
    // each example calls caldp (maybe after VAR=value settings or in `source <(...)`) with this command's path
    const command = new RegExp(`(^|[ (])caldp ${path}( |$)`);
    for (const line of lines) assert.match(line, /^ {2}\$ /, `caldp ${path}: ${line}`);
    if (path !== "")
      assert.ok(
        lines.some((l) => command.test(l)),
        `caldp ${path}: ${lines.join(" | ")}`,
      );
  }
  const root = helps.get("")!;
  assert.match(root, /\nEnvironment:\n {2}CALDP_DEBUG=1 +add JavaScript stack traces/);
  assert.match(root, /\nExit status:\n/);
  // and the program prints them
  const cli = await runCliAsync("caldp", ["fits", "header", "--help"]);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(cli.stdout, helps.get("fits header"));
});

/** The completions bash offers for the words of a command line (the last one being completed). */
function bashComplete(script: string, words: string[]): string[] {
  const fn = words[0] === "caldp-process" ? "_caldp_process" : "_caldp";
  const line = words.map((w) => `'${w}'`).join(" ");
  const program = `source ${script}
COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); ${fn}
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync("bash", ["--norc", "--noprofile", "-c", program], { encoding: "utf8", timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\n").filter(Boolean);
}

test("caldp completion bash, sourced in bash: commands, subcommands, options, choices, configs", async () => {
  const generated = await runCliAsync("caldp", ["completion", "bash"]);
  assert.equal(generated.status, 0, generated.stderr);
  const script = join(dir, "caldp.bash");
  writeFileSync(script, generated.stdout);
  const help = await runCliAsync("caldp", ["--help"]);
  const fitsHelp = await runCliAsync("caldp", ["fits", "--help"]);
  assert.deepEqual(bashComplete(script, ["caldp", ""]), listedCommands(help.stdout));
  assert.deepEqual(bashComplete(script, ["caldp", "fi"]), ["fits"]);
  assert.deepEqual(bashComplete(script, ["caldp", "fits", ""]), listedCommands(fitsHelp.stdout));
  assert.deepEqual(bashComplete(script, ["caldp", "batch", "st"]), ["status"]);
  const headerOptions = bashComplete(script, ["caldp", "fits", "header", "x.fits", "-"]);
  for (const flag of ["--extension", "--keyword", "--help"])
    assert.ok(headerOptions.includes(flag), headerOptions.join(" "));
  assert.deepEqual(bashComplete(script, ["caldp", "completion", ""]), ["bash", "zsh"]);
  // the value of an option is left to bash's file completion (complete -o default)
  assert.deepEqual(bashComplete(script, ["caldp", "sim", "j8cb010b0", "--out", ""]), []);
  // bash splits file:in at the colon; the config is still the fourth argument
  const configs = ["caldp-config-onsite", "caldp-config-offsite", "caldp-config-aws"];
  const processWords = ["j8cb010b0", "file", ":", "in", "s3", ":", "//out"];
  assert.deepEqual(bashComplete(script, ["caldp", "process", ...processWords, ""]), configs);
  assert.deepEqual(bashComplete(script, ["caldp-process", ...processWords, "caldp-config-o"]), configs.slice(0, 2));
  const registered = spawnSync("bash", ["--norc", "-c", `source ${script}; complete -p caldp caldp-process`], {
    encoding: "utf8",
  });
  assert.equal(
    registered.stdout,
    "complete -o default -F _caldp caldp\ncomplete -o default -F _caldp_process caldp-process\n",
  );
});

test("caldp completion for an unknown shell fails naming the choices", async () => {
  const r = await runCliAsync("caldp", ["completion", "fish"]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /'fish' is invalid for argument 'shell'. Allowed choices are bash, zsh/);
});

const hasZsh = spawnSync("zsh", ["--version"]).status === 0;
test("caldp completion zsh loads in zsh (through bashcompinit) and completes", {
  skip: skipUnlessInstalled(hasZsh, "zsh"),
}, async () => {
  const generated = await runCliAsync("caldp", ["completion", "zsh"]);
  assert.equal(generated.status, 0, generated.stderr);
  const script = join(dir, "_caldp");
  writeFileSync(script, generated.stdout);
  // zsh's bashcompinit calls the function in sh emulation and matches the prefix itself (compadd)
  const program = `autoload -U compinit && compinit -u -D
source ${script}
emulate -L sh
COMP_WORDS=(caldp fits ""); COMP_CWORD=2; _caldp; echo "\${COMPREPLY[@]}"
COMP_WORDS=(caldp completion ""); COMP_CWORD=2; _caldp; echo "\${COMPREPLY[@]}"`;
  const r = spawnSync("zsh", ["-f", "-c", program], {
    encoding: "utf8",
    timeout: 20_000,
    env: { ...process.env, HOME: dir },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  const fitsHelp = await runCliAsync("caldp", ["fits", "--help"]);
  assert.deepEqual(r.stdout.split("\n"), [listedCommands(fitsHelp.stdout).join(" "), "bash zsh", ""]);
});

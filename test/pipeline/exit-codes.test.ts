import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { EXIT_CODES, explain, explainSignal, isMemoryError } from "../../src/core/exit-codes.js";
import { signalNumber } from "../../src/core/signals.js";

test("explain gives CALDP's exact strings, by code, numeric string or name (typos and double space kept)", () => {
  assert.equal(explain(0), "EXIT - SUCCESS[0]: Processing completed successfully.");
  assert.equal(explain("SUCCESS"), "EXIT - SUCCESS[0]: Processing completed successfully.");
  assert.equal(explain("23"), explain(23));
  assert.equal(explain(22), "EXIT - ASTROQUERY_ERROR[22]: An error occurred downloading astroqery: inputs");
  assert.equal(
    explain("CREATE_PREVIEWS_ERROR"),
    "EXIT - CREATE_PREVIEWS_ERROR[28]: An error occurrred creating preview files for processed data.",
  );
  assert.equal(
    explain(34),
    "EXIT - OS_MEMORY_ERROR[34]: Python raised OSError(Cannot allocate memory...),  possibly fork failure.",
  );
  assert.equal(
    explain(24),
    "EXIT - STAGE2_ERROR[24]: An error occurred in this instrument's stage2 processing step, e.g astrodrizzle",
  );
  assert.equal(explain(40), "EXIT - SVM_ERROR[40]: An error occurred while running runsinglehap");
  assert.equal(explain(41), "EXIT - MVM_ERROR[41]: An error occurred while running runmultihap");
  assert.equal(explain(999), "EXIT - unhandled exit code: 999");
  assert.equal(explain("NOPE"), "EXIT - unhandled exit code: NOPE");
});

test("the table has exactly CALDP's 17 codes", () => {
  assert.deepEqual(Object.values(EXIT_CODES), [0, 1, 2, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33, 34, 40, 41]);
});

test("isMemoryError is true for 31–34 only, by code or name", () => {
  for (const code of Object.values(EXIT_CODES)) assert.equal(isMemoryError(code), code >= 31 && code <= 34, `${code}`);
  assert.equal(isMemoryError("CONTAINER_MEMORY_ERROR"), true);
  assert.equal(isMemoryError("GENERIC_ERROR"), false);
  assert.equal(isMemoryError(137), false);
});

test("explainSignal matches CALDP's doctests and covers 1–31", () => {
  assert.equal(explainSignal(8), "EXIT - Killed by UNIX signal SIGFPE[8]: 'Floating-point exception (ANSI).'");
  assert.equal(explainSignal(11), "EXIT - Killed by UNIX signal SIGSEGV[11]: 'Segmentation violation (ANSI).'");
  assert.equal(explainSignal(9), "EXIT - Killed by UNIX signal SIGKILL[9]: 'Kill, unblockable (POSIX).'");
  for (let n = 1; n <= 31; n++)
    assert.match(explainSignal(n), new RegExp(`^EXIT - Killed by UNIX signal SIG[A-Z0-9]+\\[${n}\\]: '.+\\.'$`));
  assert.match(explainSignal(40), /^EXIT - Killed by UNIX signal SIG40\[40\]: /);
});

test("signal names agree with the kernel's numbering (kill -l)", () => {
  const out = spawnSync("bash", ["-c", "for n in $(seq 1 31); do echo $n $(kill -l $n); done"], { encoding: "utf8" });
  for (const line of out.stdout.trim().split("\n")) {
    const [n, name] = line.split(" ");
    assert.ok(explainSignal(Number(n)).includes(`SIG${name}[${n}]`), line);
    assert.equal(signalNumber(`SIG${name}`), Number(n));
  }
});

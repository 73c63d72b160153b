import { constants } from "node:os";

// Names and texts of Linux signals 1–31 as in the comments of glibc's <bits/signum.h> (CentOS 7), the
// table CALDP copied into exit_codes.py. CALDP's dict let the alias SIGIOT overwrite SIGABRT for 6;
// here 6 is reported as SIGABRT (same text family, the name a reader will search for).
const LINUX_SIGNALS: Readonly<Record<number, readonly [string, string]>> = {
  1: ["SIGHUP", "Hangup (POSIX)."],
  2: ["SIGINT", "Interrupt (ANSI)."],
  3: ["SIGQUIT", "Quit (POSIX)."],
  4: ["SIGILL", "Illegal instruction (ANSI)."],
  5: ["SIGTRAP", "Trace trap (POSIX)."],
  6: ["SIGABRT", "Abort (ANSI)."],
  7: ["SIGBUS", "BUS error (4.2 BSD)."],
  8: ["SIGFPE", "Floating-point exception (ANSI)."],
  9: ["SIGKILL", "Kill, unblockable (POSIX)."],
  10: ["SIGUSR1", "User-defined signal 1 (POSIX)."],
  11: ["SIGSEGV", "Segmentation violation (ANSI)."],
  12: ["SIGUSR2", "User-defined signal 2 (POSIX)."],
  13: ["SIGPIPE", "Broken pipe (POSIX)."],
  14: ["SIGALRM", "Alarm clock (POSIX)."],
  15: ["SIGTERM", "Termination (ANSI)."],
  16: ["SIGSTKFLT", "Stack fault."],
  17: ["SIGCHLD", "Child status has changed (POSIX)."],
  18: ["SIGCONT", "Continue (POSIX)."],
  19: ["SIGSTOP", "Stop, unblockable (POSIX)."],
  20: ["SIGTSTP", "Keyboard stop (POSIX)."],
  21: ["SIGTTIN", "Background read from tty (POSIX)."],
  22: ["SIGTTOU", "Background write to tty (POSIX)."],
  23: ["SIGURG", "Urgent condition on socket (4.2 BSD)."],
  24: ["SIGXCPU", "CPU limit exceeded (4.2 BSD)."],
  25: ["SIGXFSZ", "File size limit exceeded (4.2 BSD)."],
  26: ["SIGVTALRM", "Virtual alarm clock (4.2 BSD)."],
  27: ["SIGPROF", "Profiling alarm clock (4.2 BSD)."],
  28: ["SIGWINCH", "Window size change (4.3 BSD, Sun)."],
  29: ["SIGIO", "I/O now possible (4.2 BSD)."],
  30: ["SIGPWR", "Power failure restart (System V)."],
  31: ["SIGSYS", "Bad system call."],
};

/** `EXIT - Killed by UNIX signal SIGNAME[n]: '<text>'`; signals outside 1–31 get a generic text, not a crash. */
export function explainSignal(signum: number): string {
  const [name, text] = LINUX_SIGNALS[signum] ?? [`SIG${signum}`, "Unknown or real-time signal."];
  return `EXIT - Killed by UNIX signal ${name}[${signum}]: '${text}'`;
}

/** Signal number from Node's name (`child.on("exit", (code, signal))` gives e.g. "SIGKILL"). */
export function signalNumber(signal: NodeJS.Signals | string | number): number | undefined {
  if (typeof signal === "number") return signal;
  return (constants.signals as Record<string, number>)[signal];
}

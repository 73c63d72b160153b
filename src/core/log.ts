import { closeSync, openSync, writeSync } from "node:fs";

export type LineSink = (line: string) => void;

const toStdout: LineSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * CALDP's SimpleLogger: `INFO - `, `WARNING - `, `ERROR - ` + the space-joined arguments, and `echo` without a
 * prefix (subprocess output), each line to the console and to the open log file (process.txt / preview.txt).
 * The file is written synchronously so that a process killed right after a line still has it on disk.
 */
export class Logger {
  private fd: number | undefined;

  /** `file`: opened for writing and truncated, as CALDP's `open(filename, "w+")`. */
  constructor(
    file?: string,
    private readonly console: LineSink = toStdout,
  ) {
    this.fd = file === undefined ? undefined : openSync(file, "w");
  }

  info(...args: unknown[]): void {
    this.emit("INFO - ", args);
  }

  warning(...args: unknown[]): void {
    this.emit("WARNING - ", args);
  }

  error(...args: unknown[]): void {
    this.emit("ERROR - ", args);
  }

  /** Suppressed, as in CALDP. */
  debug(..._args: unknown[]): void {}

  echo(...args: unknown[]): void {
    this.emit("", args);
  }

  /** CALDP's log.divider: `char` × n, or the name centred in it (the fatal report uses n = 75). */
  divider(name = "", options: { char?: string; n?: number; level?: "info" | "error" } = {}): void {
    const { char = "-", n = 75, level = "info" } = options;
    this[level](dividerText(name, char, n));
  }

  /**
   * The processing divider: a line of 80 `>` and `>>>>> <dataset> <message> >>>...`. CALDP's second line
   * had a length that depended on the message twice over; here it is padded to 80 characters as well.
   */
  datasetDivider(dataset: string, ...message: unknown[]): void {
    this.info(">".repeat(80));
    const head = `>>>>> ${dataset} ${message.map(String).join(" ")} `;
    this.info(head + ">".repeat(Math.max(5, 80 - head.length)));
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private emit(prefix: string, args: unknown[]): void {
    const text = prefix + args.map(String).join(" ");
    for (const line of text.split("\n")) {
      this.console(line);
      if (this.fd !== undefined) writeSync(this.fd, `${line}\n`);
    }
  }
}

export function dividerText(name: string, char: string, n: number): string {
  if (!name) return char.repeat(n);
  const side = char.repeat(Math.floor((n - name.length - 2) / 2));
  return `${side} ${name} ${side}`;
}

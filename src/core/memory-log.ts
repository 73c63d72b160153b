/**
 * CALDP_MEMORY_LOG=1 logs the process's memory at points of a run (after each calibration phase, and where a
 * program marks one): resident set now and its peak so far (all threads: the workers' arrays count), V8's
 * heap and the memory of ArrayBuffers. The peak rising between two lines says which part reached it.
 */
const MB = 1024 * 1024;

export function memoryLogWanted(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const value = env.CALDP_MEMORY_LOG?.trim().toLowerCase() ?? "";
  return value !== "" && !["0", "false", "no", "off"].includes(value);
}

/** One line: `memory <where>: rss 512 MB, peak 790 MB, heap 40 MB, array buffers 300 MB`. */
export function memoryLine(where: string): string {
  const usage = process.memoryUsage();
  const peak = process.resourceUsage().maxRSS * 1024;
  const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;
  return (
    `memory ${where}: rss ${mb(usage.rss)}, peak ${mb(peak)}, heap ${mb(usage.heapUsed)}, ` +
    `array buffers ${mb(usage.arrayBuffers)}`
  );
}

/** Logs `memoryLine(where)` with `log` when CALDP_MEMORY_LOG is set. */
export function logMemory(log: (line: string) => void, where: string): void {
  if (memoryLogWanted()) log(memoryLine(where));
}

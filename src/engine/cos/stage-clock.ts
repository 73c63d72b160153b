/** Wall time of each stage since the previous one, in the verbose log: what bench/cos-timetag.ts reads. */
export function stageClock(log?: (line: string) => void): (stage: string) => void {
  let last = performance.now();
  return (stage) => {
    const now = performance.now();
    log?.(`TIMETAG stage ${stage}: ${((now - last) / 1000).toFixed(3)} s`);
    last = now;
  };
}

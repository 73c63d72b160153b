/**
 * CALDP_DEBUG=1 adds the JavaScript stack traces to error lines and fatal reports. Operators' logs carry none
 * by default: the message and its chain of causes name what failed, on which file, and why.
 */
export function stackTracesWanted(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const value = env.CALDP_DEBUG?.trim().toLowerCase() ?? "";
  return value !== "" && !["0", "false", "no", "off"].includes(value);
}

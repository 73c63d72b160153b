// Tests that take minutes of CPU (full-frame CTE corrections): run in CI (CI=true) or with CALDP_PARITY_SLOW=1, and
// in the first runtime's pass only — the second runtime (Node 24) re-runs the same pure arithmetic, which the
// faster tests already cover there.
export function slowTestSkip(): string | false {
  if (process.env.CALDP_TEST_SECOND_RUNTIME === "1") return "minutes of CPU: run in the first runtime's pass only";
  const allowed = process.env.CALDP_PARITY_SLOW === "1" || process.env.CI === "true";
  return allowed ? false : "set CALDP_PARITY_SLOW=1 (CI runs it)";
}

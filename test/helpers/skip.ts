/**
 * The reason to skip a test whose tool is missing on a developer machine, or false. In CI, which installs every
 * tool (scripts/install-test-deps.sh), nothing is skipped, so a missing tool fails the test instead of hiding it.
 */
export function skipUnlessInstalled(installed: boolean, what: string): string | false {
  if (installed || process.env.CI === "true") return false;
  return `${what} is not installed (run scripts/install-test-deps.sh as root)`;
}

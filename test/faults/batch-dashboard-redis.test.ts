// Issue 13, case 7 (dashboard): with Redis down the dashboard says so, naming the URL and the cause, and
// still shows what the job records in the output location say.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { startDashboard } from "../../src/batch/dashboard/server.js";
import { BatchQueues } from "../../src/batch/queues.js";
import { batchCli, batchWorkspace, removeWorkspaces } from "../batch/harness.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { freePort } from "../helpers/redis.js";
import { skipUnlessInstalled } from "../helpers/skip.js";

const skip = skipUnlessInstalled(hasChromium(), "chromium");
let browser: Browser;
before(async () => {
  if (!skip) browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  removeWorkspaces();
});

test("Redis down: the dashboard names Redis's URL and the cause, and shows the records it can read", {
  skip,
}, async () => {
  const ws = batchWorkspace([]);
  const url = `redis://127.0.0.1:${await freePort()}`;
  // a submit without Redis places the dataset (record and placed- message) but cannot queue it
  const submitted = await batchCli([
    "submit",
    "j8dr01a1q",
    "--input",
    ws.input,
    "--output",
    ws.output,
    "--dry-run",
    "--redis",
    url,
  ]);
  assert.equal(submitted.status, 1);
  const queues = new BatchQueues(url);
  const dashboard = await startDashboard({ port: 0, outputs: async () => [ws.output], queues, pollMs: 300 });
  try {
    const page = await browser.newPage();
    await page.goto(dashboard.url);
    const problem = page.locator("#problem");
    await problem.filter({ hasText: "cannot reach Redis" }).waitFor({ timeout: 20_000 });
    assert.equal(await problem.textContent(), `cannot reach Redis at ${url}: ECONNREFUSED`);
    const row = page.locator('tr[data-dataset="j8dr01a1q"]');
    await row.waitFor();
    assert.equal(await row.getAttribute("data-state"), "placed");
    assert.equal(await page.locator("#progress-text").textContent(), "0/1 ended");
  } finally {
    await dashboard.close();
    await queues.close();
  }
});

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { startDashboard } from "../../src/batch/dashboard/server.js";
import { BatchQueues } from "../../src/batch/queues.js";
import { hasChromium, launchChromium } from "../helpers/browser.js";
import { hasRedisServer, RedisServer } from "../helpers/redis.js";
import { skipUnlessInstalled } from "../helpers/skip.js";
import { batchCli, batchWorkspace, removeWorkspaces, startWorker, type WorkerProcess, waitForEnd } from "./harness.js";

const skip = skipUnlessInstalled(hasRedisServer(), "redis-server") || skipUnlessInstalled(hasChromium(), "chromium");
let redis: RedisServer;
let browser: Browser;
const workers: WorkerProcess[] = [];

before(async () => {
  if (skip) return;
  redis = await RedisServer.start();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await redis?.stop();
  removeWorkspaces();
});

test("dashboard in Chromium: states, exit explanations, a thumbnail, filters, live update", { skip }, async () => {
  const ws = batchWorkspace(["j8da01a1q"]);
  workers.push(startWorker(redis.url, ws.output, "2g", ["--concurrency", "2"]));
  const common = ["--input", ws.input, "--output", ws.output, "--config", ws.config, "--redis", redis.url];
  const dry = [...common, "--dry-run"];
  for (const args of [
    ["j8da01a1q", ...common],
    ["j8de01a1q", ...dry, "--env", "CALDP_SIMULATE_ERROR=23"],
    ["ib3a01a1q", ...dry],
  ]) {
    const r = await batchCli(["submit", ...args]);
    assert.equal(r.status, 0, r.stderr);
  }
  await waitForEnd(ws.output, ["j8da01a1q", "j8de01a1q", "ib3a01a1q"]);

  const queues = new BatchQueues(redis.url);
  const dashboard = await startDashboard({ port: 0, outputs: () => queues.outputs(), queues, pollMs: 300 });
  try {
    const page = await browser.newPage();
    await page.goto(dashboard.url);
    await page.locator("#live", { hasText: "live" }).waitFor();
    const row = (ds: string) => page.locator(`tr[data-dataset="${ds}"]`);
    await row("j8da01a1q").waitFor();
    assert.equal(await row("j8da01a1q").getAttribute("data-state"), "processed");
    assert.equal(await row("j8de01a1q").getAttribute("data-state"), "error");
    assert.match((await row("j8de01a1q").textContent()) ?? "", /STAGE1_ERROR\[23\]/);
    assert.match((await page.locator("#counts").textContent()) ?? "", /processed: 2.*error: 1/s);
    assert.match((await row("j8da01a1q").textContent()) ?? "", /acs\/HRC/);

    const thumb = row("j8da01a1q").locator("img").first();
    await page.waitForFunction((ds) => {
      const img = document.querySelector(`tr[data-dataset="${ds}"] img`) as HTMLImageElement | null;
      return (img?.naturalWidth ?? 0) > 0 && img?.complete === true;
    }, "j8da01a1q");
    assert.match((await thumb.getAttribute("alt")) ?? "", /_thumb\.jpg$/);

    await page.selectOption("#state-filter", "error");
    assert.equal(await page.locator("tbody tr").count(), 1);
    await page.selectOption("#state-filter", "");
    await page.selectOption("#instrument-filter", "wfc3");
    assert.deepEqual(
      await page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.dataset)),
      ["ib3a01a1q"],
    );
    await page.selectOption("#instrument-filter", "");

    // live: a dataset submitted while the page is open appears and moves to processed without a reload
    const late = await batchCli(["submit", "j8dl01a1q", ...dry, "--env", "CALDP_DRY_RUN_SLEEP=1"]);
    assert.equal(late.status, 0, late.stderr);
    await page.locator('tr[data-dataset="j8dl01a1q"]').waitFor({ timeout: 10000 });
    await page.locator('tr[data-dataset="j8dl01a1q"][data-state="processed"]').waitFor({ timeout: 20000 });
    assert.match((await page.locator("#progress-text").textContent()) ?? "", /4\/4 ended/);
  } finally {
    await dashboard.close();
    await queues.close();
  }
});

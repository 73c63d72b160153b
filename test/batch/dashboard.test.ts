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

/** The progress bar's fill and track widths as Chromium lays them out (px), with its text, in one snapshot. */
async function progress(page: import("playwright-core").Page) {
  return page.evaluate(() => {
    const fill = document.getElementById("progress") as HTMLElement;
    const track = fill.parentElement as HTMLElement;
    return {
      fill: fill.getBoundingClientRect().width,
      track: track.getBoundingClientRect().width,
      inTrack: track.className === "bar",
      text: document.getElementById("progress-text")?.textContent ?? "",
    };
  });
}

/** The fill covers ended/total of the track. */
function assertProportional(p: Awaited<ReturnType<typeof progress>>) {
  const [ended, total] = (/^(\d+)\/(\d+) ended$/.exec(p.text) ?? []).slice(1).map(Number);
  assert.ok(total > 0, p.text);
  assert.ok(p.inTrack, "the fill is inside the bar");
  assert.equal(p.track, 300);
  assert.ok(Math.abs(p.fill - (300 * ended) / total) < 0.5, `${p.text}: fill ${p.fill} px of ${p.track}`);
}

test("dashboard in Chromium: states, exit explanations, a thumbnail, filters, live update", { skip }, async () => {
  const ws = batchWorkspace(["j8da01a1q", "j8dg01a1q"]);
  workers.push(startWorker(redis.url, ws.output, "2g", ["--concurrency", "2"]));
  const common = ["--input", ws.input, "--output", ws.output, "--config", ws.config, "--redis", redis.url];
  const dry = [...common, "--dry-run"];
  for (const args of [
    ["j8da01a1q", ...common],
    ["j8de01a1q", ...dry, "--env", "CALDP_SIMULATE_ERROR=23"],
    ["ib3a01a1q", ...dry],
    ["j8dg01a1q", ...common, "--env", "CALDP_SIMULATE_ERROR=23"],
  ]) {
    const r = await batchCli(["submit", ...args]);
    assert.equal(r.status, 0, r.stderr);
  }
  await waitForEnd(ws.output, ["j8da01a1q", "j8de01a1q", "ib3a01a1q", "j8dg01a1q"]);

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
    assert.match((await page.locator("#counts").textContent()) ?? "", /processed: 2.*error: 2/s);
    // a failed dataset: exit code with its CALDP name, the cause from caldp-process's log, a link to that log
    const failed = row("j8dg01a1q");
    assert.equal(await failed.locator("td.exit").textContent(), "23 STAGE1_ERROR");
    assert.equal(
      await failed.locator("td.cause").textContent(),
      "version keywords failed: Error: Simulating error = 23",
    );
    const logHref = await failed.locator("a", { hasText: "log" }).getAttribute("href");
    const logText = await (await page.request.get(new URL(logHref!, dashboard.url).href)).text();
    assert.match(logText, /EXIT - STAGE1_ERROR\[23\]/);
    // the fill is inside its track and covers ended/total of it: 4 of 4 here
    const full = await progress(page);
    assert.equal(full.text, "4/4 ended");
    assertProportional(full);
    assert.match((await row("j8da01a1q").textContent()) ?? "", /acs\/HRC/);

    const thumb = row("j8da01a1q").locator("img").first();
    await page.waitForFunction((ds) => {
      const img = document.querySelector(`tr[data-dataset="${ds}"] img`) as HTMLImageElement | null;
      return (img?.naturalWidth ?? 0) > 0 && img?.complete === true;
    }, "j8da01a1q");
    assert.match((await thumb.getAttribute("alt")) ?? "", /_thumb\.jpg$/);

    await page.selectOption("#state-filter", "error");
    assert.equal(await page.locator("tbody tr").count(), 2);
    await page.selectOption("#state-filter", "");
    await page.selectOption("#instrument-filter", "wfc3");
    assert.deepEqual(
      await page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.dataset)),
      ["ib3a01a1q"],
    );
    await page.selectOption("#instrument-filter", "");

    // live: a dataset submitted while the page is open appears and moves to processed without a reload
    const late = await batchCli(["submit", "j8dl01a1q", ...dry, "--env", "CALDP_DRY_RUN_SLEEP=3"]);
    assert.equal(late.status, 0, late.stderr);
    await page.locator('tr[data-dataset="j8dl01a1q"]').waitFor({ timeout: 10000 });
    const partial = await progress(page);
    assert.match(partial.text, /^[45]\/5 ended$/);
    assertProportional(partial);
    await page.locator('tr[data-dataset="j8dl01a1q"][data-state="processed"]').waitFor({ timeout: 20000 });
    assert.match((await page.locator("#progress-text").textContent()) ?? "", /5\/5 ended/);
    assertProportional(await progress(page));
  } finally {
    await dashboard.close();
    await queues.close();
  }
});

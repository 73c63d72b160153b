// Issue 13, case 7 (batch): a Redis that accepts connections and never answers (a hung server, a half-open
// network path): the batch commands give up after the command timeout with one line naming the URL.
import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { after, test } from "node:test";
import { batchCli, batchWorkspace, removeWorkspaces } from "../batch/harness.js";
import { freePort } from "../helpers/redis.js";

after(removeWorkspaces);

test("a Redis that accepts and never answers: status and cancel fail with 'no answer' within the command timeout", async (t) => {
  const ws = batchWorkspace([]);
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => silent.listen(port, "127.0.0.1", resolve));
  try {
    // a dataset placed (Redis refused) for cancel to look for, then cancel and status side by side
    const dead = `redis://127.0.0.1:${await freePort()}`;
    await batchCli(["submit", "j8fe01a1q", "--input", ws.input, "--output", ws.output, "--dry-run", "--redis", dead]);
    const runs = await Promise.all(
      [["status"], ["cancel", "all", "--output", ws.output]].map(async (args) => {
        const t0 = performance.now();
        const r = await batchCli([...args, "--redis", `redis://127.0.0.1:${port}`]);
        return { args, r, ms: performance.now() - t0 };
      }),
    );
    for (const { args, r, ms } of runs) {
      t.diagnostic(`${args[0]}: ${ms.toFixed(0)} ms`);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.equal(r.stderr, `caldp: cannot reach Redis at redis://127.0.0.1:${port}: no answer within 10 s\n`);
      assert.ok(ms < 25_000, `${args[0]} took ${ms.toFixed(0)} ms`);
    }
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

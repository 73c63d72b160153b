import assert from "node:assert/strict";
import { test } from "node:test";
import { startCeph } from "../helpers/ceph.js";

test("without the Debian packages the Ceph helper says what to install and how", async () => {
  const path = process.env.PATH;
  process.env.PATH = "/nonexistent";
  try {
    await assert.rejects(startCeph(), (e: Error) => {
      assert.match(e.message, /missing ceph-mon, ceph-osd, radosgw, radosgw-admin, ceph, monmaptool/);
      assert.match(e.message, /scripts\/install-test-deps\.sh/);
      assert.match(e.message, /ceph-mon ceph-osd radosgw ceph-common/);
      return true;
    });
  } finally {
    process.env.PATH = path;
  }
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { type CephS3, startCeph } from "../helpers/ceph.js";

export interface S3TestServer {
  ceph: CephS3;
  /** A client of our own, independent of src/io, to set up and inspect objects. */
  raw: S3Client;
}

/**
 * Starts one Ceph RGW for the test file and points the standard AWS variables at it (endpoint, keys, region;
 * no shared config files), so the code under test configures itself as it would in production.
 */
export function useCeph(buckets: string[]): () => S3TestServer {
  let server: S3TestServer | undefined;
  before(async () => {
    const ceph = await startCeph();
    console.log(`# Ceph RGW started in ${(ceph.startupMs / 1000).toFixed(1)} s at ${ceph.endpoint}`);
    const none = join(mkdtempSync(join(tmpdir(), "caldp-aws-")), "absent");
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: ceph.endpoint,
      AWS_ACCESS_KEY_ID: ceph.accessKey,
      AWS_SECRET_ACCESS_KEY: ceph.secretKey,
      AWS_REGION: "us-east-1",
      AWS_CONFIG_FILE: none,
      AWS_SHARED_CREDENTIALS_FILE: none,
    });
    const raw = new S3Client({
      endpoint: ceph.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      credentials: { accessKeyId: ceph.accessKey, secretAccessKey: ceph.secretKey },
    });
    for (const bucket of buckets) await raw.send(new CreateBucketCommand({ Bucket: bucket }));
    server = { ceph, raw };
  });
  after(async () => {
    server?.raw.destroy();
    await server?.ceph.stop();
  });
  return () => {
    if (!server) throw new Error("the Ceph test server is not running");
    return server;
  };
}

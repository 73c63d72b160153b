import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { timeoutFromEnv } from "./remote-retry.js";

export interface S3ClientOptions {
  /** An S3-compatible server; by default AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (read by the SDK). */
  endpoint?: string;
  region?: string;
  credentials?: S3ClientConfig["credentials"];
  /** SDK attempts per request (default 3); whole transfers are retried again above this. */
  maxAttempts?: number;
}

/** The endpoint override configured in the environment, as the SDK reads it. */
export function configuredEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
}

/**
 * An S3 client on the standard AWS configuration chain (credentials and region from the environment, the shared
 * config and credentials files, or the instance role), with the settings docs/stack.md §3 requires: path-style
 * addressing for custom endpoints, and checksums only when an operation requires them (Ceph RGW 16 rejects the
 * SDK's default aws-chunked uploads). The JS SDK does not read AWS_DEFAULT_REGION; it is honoured here.
 * Without AWS_REGION/AWS_DEFAULT_REGION the SDK looks in the shared config file. Time limits: connecting
 * CALDP_S3_CONNECT_TIMEOUT_SECONDS (10 s), silence on an open request CALDP_S3_TIMEOUT_SECONDS (60 s).
 */
export function createS3Client(options: S3ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = options.endpoint ?? configuredEndpoint(env);
  // A custom endpoint usually ignores the region, but SigV4 needs one: us-east-1 unless configured.
  const region =
    options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || (endpoint !== undefined ? "us-east-1" : undefined));
  return new S3Client({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(region ? { region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    forcePathStyle: endpoint !== undefined,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: options.maxAttempts ?? 3,
    // socketTimeout is an inactivity limit (a server that accepts and stalls fails the attempt, a long transfer
    // that keeps moving does not); the SDK's requestTimeout only warns unless told to throw, and bounds
    // whole uploads of large parts, so it is not used
    requestHandler: {
      connectionTimeout: timeoutFromEnv(env, "CALDP_S3_CONNECT_TIMEOUT_SECONDS", 10_000),
      socketTimeout: timeoutFromEnv(env, "CALDP_S3_TIMEOUT_SECONDS", 60_000),
    },
  });
}

/** HTTP status of an SDK failure, if the server answered. */
export function s3Status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** Server answers another attempt cannot change (missing object or bucket, denied access, bad request). */
export function isPermanentS3Failure(error: unknown): boolean {
  const status = s3Status(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** One line naming the S3 error code and HTTP status when there are any; a time-out names the endpoint and limits. */
export function describeS3Error(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") {
    const endpoint = configuredEndpoint() ?? "the AWS endpoint";
    return `${error.message.split("\n")[0]} (${endpoint}; limits CALDP_S3_CONNECT_TIMEOUT_SECONDS, CALDP_S3_TIMEOUT_SECONDS)`;
  }
  const status = s3Status(error);
  const code = (error as { Code?: string }).Code ?? error.name;
  // Servers that send an error code without a message (Ceph RGW) leave the SDK's placeholder "UnknownError".
  const message = error.message === "UnknownError" ? "" : error.message.split("\n")[0];
  const parts = [code !== "Error" && code !== message ? code : "", message, status ? `(HTTP ${status})` : ""];
  return parts
    .filter(Boolean)
    .join(": ")
    .replace(/: \(HTTP/, " (HTTP");
}

/** `s3://bucket/key` URIs and CALDP's S3 output layout (contract §2, §10, §16.1). */

export interface S3Location {
  bucket: string;
  /** The key or prefix without leading or trailing `/`; "" for the bucket itself. */
  key: string;
}

export function isS3Uri(uri: string): boolean {
  return uri.startsWith("s3://");
}

export function parseS3Uri(uri: string): S3Location {
  if (!isS3Uri(uri)) throw new Error(`not an s3:// URI: '${uri}'`);
  const rest = uri.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,254}$/.test(bucket)) throw new Error(`bad bucket name in '${uri}'`);
  const key = slash < 0 ? "" : rest.slice(slash + 1).replace(/^\/+|\/+$/g, "");
  return { bucket, key };
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** The input tarball `<prefix>/<ds>.tar.gz` (the dataset name is not lower-cased). */
export function inputTarballKey(prefix: string, dataset: string): string {
  return prefix ? `${prefix}/${dataset}.tar.gz` : `${dataset}.tar.gz`;
}

/** `outputs/<ds>/<name>`: CALDP ignores any prefix of the output URI, so this is always at the bucket root. */
export function datasetOutputKey(dataset: string, name: string): string {
  return `outputs/${dataset}/${name}`;
}

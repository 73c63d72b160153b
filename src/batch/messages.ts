/**
 * Batch messages in the output location's `messages/` (contract §16.1): `<type>-<ds>`, `processed` stored as
 * `processed-<ds>.trigger`. They mirror the job records for anything that watches messages (operators, the
 * on-prem poller); cancel- is also how an operator reaches a running job.
 */
import type { BatchStore } from "./store.js";

export const MESSAGE_TYPES = [
  "broadcast",
  "placed",
  "submit",
  "processing",
  "processed",
  "error",
  "ingesterror",
  "ingested",
  "terminated",
  "cancel",
  "rescue",
  "clean",
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export function messageKey(type: MessageType, ds: string): string {
  return `messages/${type}-${ds}${type === "processed" ? ".trigger" : ""}`;
}

export async function putMessage(store: BatchStore, type: MessageType, ds: string, body = ""): Promise<void> {
  await store.put(messageKey(type, ds), body);
}

export async function hasMessage(store: BatchStore, type: MessageType, ds: string): Promise<boolean> {
  return (await store.get(messageKey(type, ds))) !== undefined;
}

/** CALCLOUD's `messages.delete("all-<ds>")`: every type of this dataset. */
export async function deleteAllMessages(store: BatchStore, ds: string, except: MessageType[] = []): Promise<void> {
  await Promise.all(MESSAGE_TYPES.filter((t) => !except.includes(t)).map((t) => store.remove(messageKey(t, ds))));
}

/**
 * Replaces this dataset's messages with one: `all-<ds>` deleted, then `<type>-<ds>` put. A pending cancel-
 * is kept until the dataset is terminated, so that a state change cannot swallow an operator's cancel.
 */
export async function moveTo(store: BatchStore, type: MessageType, ds: string, body = ""): Promise<void> {
  await putMessage(store, type, ds, body);
  await deleteAllMessages(store, ds, type === "terminated" ? [type] : [type, "cancel"]);
}

/** Message types present per dataset; the dataset is everything after the first `-`. */
export async function listMessages(store: BatchStore): Promise<Map<string, MessageType[]>> {
  const found = new Map<string, MessageType[]>();
  for (const key of await store.list("messages/")) {
    const name = key.slice("messages/".length).replace(/\.trigger$/, "");
    const dash = name.indexOf("-");
    const type = name.slice(0, dash) as MessageType;
    if (dash < 0 || !MESSAGE_TYPES.includes(type)) continue;
    const ds = name.slice(dash + 1);
    found.set(ds, [...(found.get(ds) ?? []), type]);
  }
  return found;
}

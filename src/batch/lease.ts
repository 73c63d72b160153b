/**
 * Who runs a dataset's attempt, across workers and hosts. The lease (`control/<ds>/lease.json`) says that the
 * holder is alive: renewed while its child runs, and taken over once it expires. The record says whose attempt
 * counts: its latest attempt's token. A worker whose token is no longer the latest (it froze past its lease and
 * another took over) stops renewing, kills its child, and leaves the record, the messages and the queue alone.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { hostId } from "../pipeline/run-lock.js";
import { killGroup } from "./child.js";
import { isFinal, type JobRecord, type Lease, readLease, readRecord, releaseLease, writeLease } from "./records.js";
import type { BatchStore } from "./store.js";

// This host's name in leases and records is the one caldp-process puts in its locks and scratch folders.
export { hostId } from "../pipeline/run-lock.js";

export const newToken = () => randomBytes(8).toString("hex");

/** A process's start time in clock ticks since boot (/proc/<pid>/stat field 22), or undefined if it is gone. */
export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  } catch {
    return undefined;
  }
}

/** Kills the process group of a dead holder's child if it runs on this host and is that same process. */
function killOrphan(held: Lease): boolean {
  if (held.pgid === undefined || held.host !== hostId()) return false;
  if (held.pgid_start === undefined || processStart(held.pgid) !== held.pgid_start) return false;
  killGroup(held.pgid);
  return true;
}

export interface Holder {
  worker: string;
  token: string;
}

/**
 * Waits while another live worker holds the dataset; takes over from a dead one (killing its child when it
 * still runs on this host). Undefined if the dataset ended or moved on meanwhile.
 */
export async function acquireLease(
  store: BatchStore,
  ds: string,
  submission: number,
  me: Holder,
  leaseMs: number,
  log: (line: string) => void,
  stopping: () => boolean = () => false,
): Promise<Lease | undefined> {
  for (;;) {
    const held = await readLease(store, ds);
    // a live lease of this same worker is another of its slots running the dataset: wait for it too
    if (!held || held.until < Date.now()) {
      if (held) {
        const killed = killOrphan(held);
        log(`${ds}: taking over from ${held.worker}${killed ? ` (its child group ${held.pgid} killed)` : ""}`);
      }
      const lease: Lease = { ...me, host: hostId(), submission, until: Date.now() + leaseMs };
      await writeLease(store, ds, lease);
      return lease;
    }
    // a stopping worker does not wait for a dataset another live worker runs
    if (stopping()) return undefined;
    await sleep(Math.min(500, Math.max(50, held.until - Date.now())));
    const record = await readRecord(store, ds);
    if (!record || isFinal(record) || record.submission !== submission) return undefined;
  }
}

/** True while `token`'s attempt is the one the record counts. */
export const isCurrentAttempt = (record: JobRecord | undefined, submission: number, token: string) =>
  record !== undefined &&
  !isFinal(record) &&
  record.submission === submission &&
  record.attempts.at(-1)?.token === token;

/** Renews a held lease until stopped; calls `onLost` once if the record shows another attempt took over. */
export class LeaseKeeper {
  lost = false;
  private timer?: NodeJS.Timeout;
  /** Lease writes in the order they were asked for (S3 requests can overtake each other). */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: BatchStore,
    private readonly ds: string,
    readonly lease: Lease,
    private readonly leaseMs: number,
    private readonly onLost: () => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.renew(), Math.max(200, Math.floor(this.leaseMs / 3)));
  }

  /** Writes the lease as it is now (e.g. with the child's process group), after any earlier write. */
  write(): Promise<void> {
    const next = this.chain.then(() => writeLease(this.store, this.ds, this.lease));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private renew(): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.lost) return;
      const record = await readRecord(this.store, this.ds).catch(() => null);
      if (record === null) return; // the output location did not answer: try again next time
      if (!isCurrentAttempt(record, this.lease.submission, this.lease.token)) {
        this.lost = true;
        clearInterval(this.timer);
        this.onLost();
        return;
      }
      this.lease.until = Date.now() + this.leaseMs;
      await writeLease(this.store, this.ds, this.lease).catch(() => undefined);
    });
    return this.chain;
  }

  /** Stops renewing (once the child has ended: the lease then only keeps other workers waiting). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.chain;
  }

  /** Stops renewing and removes the lease if it is still this one. */
  async release(): Promise<void> {
    await this.stop();
    const held = await readLease(this.store, this.ds).catch(() => undefined);
    if (held?.token === this.lease.token) await releaseLease(this.store, this.ds);
  }
}

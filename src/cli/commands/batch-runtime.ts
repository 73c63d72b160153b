// What the batch commands run, loaded only when one of them runs: bullmq, ioredis and the dashboard cost every
// other `caldp` command ~0.4 s of CPU and ~40 MB at start-up otherwise.
export { cancel, clean, rescue } from "../../batch/control.js";
export { startDashboard } from "../../batch/dashboard/server.js";
export { BatchQueues, redisUrl } from "../../batch/queues.js";
export { rungOf } from "../../batch/rungs.js";
export { renderSummary, summarize } from "../../batch/status.js";
export { watchStatus } from "../../batch/status-watch.js";
export { absoluteFileUri, outputLocation } from "../../batch/store.js";
export { expandDatasetArgs, submit } from "../../batch/submit.js";
export { BatchWorker } from "../../batch/worker.js";

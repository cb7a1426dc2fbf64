// A BullMQ sandboxed processor for the distributed suite: raw BullMQ running each job's
// `x + 1` off the worker's event loop (useWorkerThreads), as threadkit's worker does.
export default async (job) => job.data.x + 1;

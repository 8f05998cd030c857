/**
 * Group commit: writes that arrive while earlier ones are being stored are gathered and stored
 * together, by one statement in one transaction with one commit, instead of each paying its own
 * round trip, statement planning and WAL flush. Each caller's promise settles only when its
 * batch has been stored (committed) or has failed, so nothing is answered before it is durable.
 *
 * A batch that fails is split: each of its items is tried again on its own, so one bad item
 * fails alone and the others are still stored (a failed statement stored nothing, so trying
 * again cannot store anything twice).
 *
 * With nothing in flight an item is written as soon as the I/O callbacks already due have run
 * (setImmediate): a lone request waits for no one. Batches form under load, from the requests
 * that arrived together and from what queued while the database was busy.
 *
 * @example
 * const store = groupCommit((rows: Row[]) => insertAll(db, rows), { maxBatch: 32 });
 * const stored = await store(row); // settles after the commit of the batch it went in
 */
export interface GroupCommitOptions {
  /** The most items one batch writes (default 32). */
  maxBatch?: number;
  /**
   * How many batches may be writing at once (default 1). One at a time, everything that arrives
   * while a batch is being stored waits and goes together in the next: batches grow with the
   * load, each commit (and its flush to disk) serves more, and this thread prepares the next
   * batch while the database stores the last. Two at a time split the same arrivals into smaller
   * batches that pay the statement and the commit more often: on the bench machine the hub took
   * 20–25% fewer submissions a second at 10 connections, durable commits or not, and no more at
   * 50 (docs/operations/benchmarks.md).
   */
  maxInFlight?: number;
}

export const GROUP_COMMIT_MAX_BATCH = 32;
export const GROUP_COMMIT_IN_FLIGHT = 1;

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Wraps `write`, which stores a batch in one transaction and returns one result per item, in
 * the same order, into a function that stores one item as part of whatever batch it joins.
 */
export function groupCommit<I, O>(
  write: (items: I[]) => Promise<O[]>,
  options: GroupCommitOptions = {},
): (item: I) => Promise<O> {
  const maxBatch = Math.max(1, options.maxBatch ?? GROUP_COMMIT_MAX_BATCH);
  const maxInFlight = Math.max(1, options.maxInFlight ?? GROUP_COMMIT_IN_FLIGHT);
  const queue: Waiting<I, O>[] = [];
  let inFlight = 0;

  async function writeAlone(waiting: Waiting<I, O>): Promise<void> {
    try {
      const [result] = await write([waiting.item]);
      waiting.resolve(result as O);
    } catch (error) {
      waiting.reject(error);
    }
  }

  async function writeBatch(batch: Waiting<I, O>[]): Promise<void> {
    if (batch.length === 1) return writeAlone(batch[0]!);
    let results: O[];
    try {
      results = await write(batch.map((w) => w.item));
      if (results.length !== batch.length)
        throw new Error(`A batch of ${batch.length} gave ${results.length} results`);
    } catch {
      // Nothing of the batch was stored: each item is tried alone, so only a bad one fails.
      await Promise.all(batch.map(writeAlone));
      return;
    }
    batch.forEach((waiting, i) => waiting.resolve(results[i]!));
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      inFlight++;
      void writeBatch(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  // A new item waits for the I/O callbacks already due (setImmediate), so requests that
  // arrived together reach the queue before the batch is cut: on PGlite, whose queries run on
  // this thread, nothing else would ever overlap a write.
  let scheduled = false;
  return (item: I) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        pump();
      });
    });
}

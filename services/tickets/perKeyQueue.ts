/**
 * Runs tasks one at a time per key (a ticket ref), in arrival order; different keys run in parallel.
 * Writers in one process then never race on a ticket's version, so a burst of changes cannot exhaust
 * the optimistic retries; the version check still guards against other processes.
 */
export class PerKeyQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/**
 * A promise-chain mutex: tasks run one after another, in the order they asked.
 * NeDB runs each call atomically but not a read followed by a write; holding this around both is
 * what makes findOneAndUpdate a safe lease primitive inside one process.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  runExclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one to settle, whether it succeeded or not.
    this.tail = result.catch(() => undefined);
    return result;
  }
}

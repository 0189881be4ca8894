/**
 * Runs work for the same key one after another, in arrival order; different keys run side by side.
 * A customer who sends two messages at once gets both answered in order: each turn loads the state the
 * previous one saved (the SDK saves bot state last-write-wins, so overlapping turns would lose answers).
 * A turn stuck longer than `maxWaitMs` (a channel call that never returns) stops holding up the next one.
 */
/** Runs work for a key in order with other work for the same key. */
export interface OrderedRunner {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export class OneAtATime implements OrderedRunner {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly maxWaitMs: number;
  private readonly across?: OrderedRunner;

  /**
   * maxWaitMs: 15 s by default, how long the Bot Connector waits for a bot's answer; a turn still running by
   * then is stuck. across: the same ordering between instances sharing a database (TurnLeases).
   */
  constructor(options: { maxWaitMs?: number; across?: OrderedRunner } = {}) {
    this.maxWaitMs = options.maxWaitMs ?? 15_000;
    this.across = options.across;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    // The next one waits for this one to finish; this one runs once its predecessor has (or was given up on).
    const done = new Promise<void>((resolve) => (release = resolve));
    this.tails.set(key, done);
    await this.atMost(previous);
    try {
      return await (this.across ? this.across.run(key, work) : work());
    } finally {
      release();
      if (this.tails.get(key) === done) this.tails.delete(key);
    }
  }

  private async atMost(previous: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.maxWaitMs)));
    await Promise.race([previous, gaveUp]);
    clearTimeout(timer);
  }

  /** Keys with work running or waiting. */
  get busyKeys(): number {
    return this.tails.size;
  }
}

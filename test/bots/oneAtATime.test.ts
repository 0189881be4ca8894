import { describe, expect, it, vi } from 'vitest';
import { OneAtATime } from '../../services/oneAtATime';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('OneAtATime', () => {
  it('runs work of one key in arrival order, never overlapping', async () => {
    const turns = new OneAtATime();
    const log: string[] = [];
    const work = (name: string, ticks: number) => async () => {
      log.push(`${name} starts`);
      for (let i = 0; i < ticks; i++) await tick();
      log.push(`${name} ends`);
      return name;
    };
    const results = await Promise.all([turns.run('c1', work('a', 3)), turns.run('c1', work('b', 1)), turns.run('c1', work('c', 0))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
  });

  it('runs different keys side by side', async () => {
    const turns = new OneAtATime();
    const log: string[] = [];
    let releaseFirst!: () => void;
    const first = turns.run('c1', async () => {
      log.push('c1 starts');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      log.push('c1 ends');
    });
    await turns.run('c2', async () => log.push('c2 runs while c1 waits'));
    releaseFirst();
    await first;
    expect(log).toEqual(['c1 starts', 'c2 runs while c1 waits', 'c1 ends']);
  });

  it('lets the next work run when one fails, and forgets keys that are idle', async () => {
    const turns = new OneAtATime();
    const failing = turns.run('c1', async () => {
      throw new Error('turn failed');
    });
    const next = turns.run('c1', async () => 'next ran');
    await expect(failing).rejects.toThrow('turn failed');
    await expect(next).resolves.toBe('next ran');
    expect(turns.busyKeys).toBe(0);
  });

  it('stops waiting for work that is stuck, so one hung turn does not silence the conversation', async () => {
    vi.useFakeTimers();
    try {
      const turns = new OneAtATime({ maxWaitMs: 15_000 });
      const log: string[] = [];
      void turns.run('c1', () => new Promise<void>(() => log.push('stuck forever')));
      const second = turns.run('c1', async () => log.push('second ran'));
      await vi.advanceTimersByTimeAsync(10_000);
      const third = turns.run('c1', async () => log.push('third ran'));
      await vi.advanceTimersByTimeAsync(4_999);
      expect(log).toEqual(['stuck forever']);
      // The second gives up on the stuck one; the third waits only for the second, not a wait of its own.
      await vi.advanceTimersByTimeAsync(1);
      await Promise.all([second, third]);
      expect(log).toEqual(['stuck forever', 'second ran', 'third ran']);
      expect(turns.busyKeys).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

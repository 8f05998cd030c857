import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit.js';

/** A write that records each batch it is given and waits to be let go. */
function recordingWrite(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const pending: (() => void)[] = [];
  const write = (items: number[]) => {
    batches.push([...items]);
    return new Promise<string[]>((resolve, reject) => {
      pending.push(() => {
        const bad = items.find(fail);
        if (bad !== undefined) reject(new Error(`item ${bad} is bad`));
        else resolve(items.map((item) => `stored ${item}`));
      });
    });
  };
  /** Lets every write in flight finish, and whatever they set off, until none is left. */
  const drain = async () => {
    for (let i = 0; i < 50; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      pending.splice(0).forEach((finish) => finish());
    }
  };
  return { batches, write, drain };
}

describe('group commit', () => {
  it('a lone item is written at once, on its own', async () => {
    const { batches, write, drain } = recordingWrite();
    const store = groupCommit(write);
    const stored = store(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    await drain();
    await expect(stored).resolves.toBe('stored 1');
  });

  it('items that arrive together, or while a batch is being written, go in one batch, each answered with its own result', async () => {
    const { batches, write, drain } = recordingWrite();
    const store = groupCommit(write, { maxInFlight: 1 });
    const together = [1, 2].map((item) => store(item));
    await new Promise((resolve) => setImmediate(resolve));
    const results = [...together, ...[3, 4, 5].map((item) => store(item))];
    await drain();
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    await expect(Promise.all(results)).resolves.toEqual([
      'stored 1',
      'stored 2',
      'stored 3',
      'stored 4',
      'stored 5',
    ]);
  });

  it('no item is answered before its batch is written', async () => {
    const { write } = recordingWrite();
    const store = groupCommit(write, { maxInFlight: 1 });
    let answered = false;
    void store(1).then(() => (answered = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
  });

  it('by default one batch at a time: what arrives while it is stored goes in the next', async () => {
    const { batches, write, drain } = recordingWrite();
    const store = groupCommit(write);
    const first = store(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3].map((item) => store(item));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    await drain();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('with maxInFlight 2 a second batch is written while the first is stored, and no third', async () => {
    const { batches, write, drain } = recordingWrite();
    const store = groupCommit(write, { maxInFlight: 2 });
    const first = store(1);
    await new Promise((resolve) => setImmediate(resolve));
    const second = store(2);
    await new Promise((resolve) => setImmediate(resolve));
    const third = [3, 4].map((item) => store(item));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2]]);
    await drain();
    await Promise.all([first, second, ...third]);
    expect(batches).toEqual([[1], [2], [3, 4]]);
  });

  it('a batch holds at most maxBatch items', async () => {
    const { batches, write, drain } = recordingWrite();
    const store = groupCommit(write, { maxBatch: 2, maxInFlight: 1 });
    const results = [1, 2, 3, 4, 5].map((item) => store(item));
    await drain();
    await Promise.all(results);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('a batch that fails is split: the bad item fails alone and the others are stored', async () => {
    const { batches, write, drain } = recordingWrite((item) => item === 3);
    const store = groupCommit(write, { maxInFlight: 1 });
    const results = [1, 2, 3, 4].map((item) => store(item).catch((e: Error) => e.message));
    await drain();
    await expect(Promise.all(results)).resolves.toEqual([
      'stored 1',
      'stored 2',
      'item 3 is bad',
      'stored 4',
    ]);
    expect(batches).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it('a write that gives the wrong number of results is split too, never misattributed', async () => {
    const batches: number[][] = [];
    const store = groupCommit(async (items: number[]) => {
      batches.push(items);
      return items.length > 1 ? ['only one'] : [`stored ${items[0]}`];
    });
    const [a, b, c] = [store(1), store(2), store(3)];
    await expect(Promise.all([a, b, c])).resolves.toEqual(['stored 1', 'stored 2', 'stored 3']);
  });
});

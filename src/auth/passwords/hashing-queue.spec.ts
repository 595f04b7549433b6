import { HashingQueue } from './hashing-queue';

/** A task that finishes when the test says so. */
function controlled() {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  return { task: () => finished, finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('HashingQueue', () => {
  /** A signal that never aborts; a fresh one for each call, as the service gives each its own deadline. */
  const never = () => new AbortController().signal;

  it('runs tasks in the order they came, never more at once than its concurrency', async () => {
    const queue = new HashingQueue(2, 100);
    let running = 0;
    let mostRunning = 0;
    const started: number[] = [];
    const runs = Array.from({ length: 30 }, (_, i) =>
      queue.run(async () => {
        started.push(i);
        mostRunning = Math.max(mostRunning, ++running);
        // Tasks of uneven length, finishing out of order, while new tasks keep arriving.
        await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
        running--;
      }, never()),
    );
    await Promise.all(runs);
    expect(started).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(mostRunning).toBe(2);
  });

  it('serves a steady stream of clients first come, first served', async () => {
    // 20 clients, each queueing again as soon as its task is done: the pattern under which Piscina's queue starved some.
    const queue = new HashingQueue(1, 100);
    const order: number[] = [];
    let ticket = 0;
    const client = async () => {
      for (let round = 0; round < 10; round++) {
        const mine = ticket++;
        await queue.run(async () => {
          order.push(mine);
          await settle();
        }, never());
      }
    };
    await Promise.all(Array.from({ length: 20 }, client));
    expect(order).toEqual([...order].sort((x, y) => x - y));
  });

  it('refuses at once when its waiting room is full, and recovers', async () => {
    const queue = new HashingQueue(1, 2);
    const first = controlled();
    const running = queue.run(first.task, never());
    const waiting = [queue.run(() => Promise.resolve('a'), never()), queue.run(() => Promise.resolve('b'), never())];
    await expect(queue.run(() => Promise.resolve('c'), never())).rejects.toThrow('full');
    expect(queue.length).toBe(2);
    first.finish();
    await running;
    expect(await Promise.all(waiting)).toEqual(['a', 'b']);
    expect(await queue.run(() => Promise.resolve('d'), never())).toBe('d');
  });

  it('drops a task whose signal aborts while it waits, without running it or losing its place for others', async () => {
    const queue = new HashingQueue(1, 10);
    const first = controlled();
    const running = queue.run(first.task, never());
    const giveUp = new AbortController();
    const dropped = jest.fn(() => Promise.resolve());
    const abandoned = queue.run(dropped, giveUp.signal);
    const later = queue.run(() => Promise.resolve('later'), never());
    giveUp.abort(new Error('deadline'));
    await expect(abandoned).rejects.toThrow('deadline');
    expect(queue.length).toBe(1);
    first.finish();
    await running;
    expect(await later).toBe('later');
    expect(dropped).not.toHaveBeenCalled();
  });

  it('passes its place on when a task fails', async () => {
    const queue = new HashingQueue(1, 10);
    const failing = queue.run(() => Promise.reject(new Error('thread died')), never());
    const next = queue.run(() => Promise.resolve('next'), never());
    await expect(failing).rejects.toThrow('thread died');
    expect(await next).toBe('next');
  });

  it('abandons what waits when closed', async () => {
    const queue = new HashingQueue(1, 10);
    const first = controlled();
    const running = queue.run(first.task, never());
    const waiting = queue.run(() => Promise.resolve('never'), never());
    queue.close(new Error('Shutting down'));
    await expect(waiting).rejects.toThrow('Shutting down');
    first.finish();
    await running;
  });

  it('refuses a task whose signal has already aborted, and any task once closed', async () => {
    const queue = new HashingQueue(1, 1);
    const first = controlled();
    const running = queue.run(first.task, never());
    const aborted = AbortSignal.abort(new Error('too late'));
    const late = jest.fn(() => Promise.resolve());
    await expect(queue.run(late, aborted)).rejects.toThrow('too late');
    // It took no place in the waiting room.
    const waiting = queue.run(() => Promise.resolve('waited'), never());
    first.finish();
    await running;
    expect(await waiting).toBe('waited');
    expect(late).not.toHaveBeenCalled();

    queue.close(new Error('Shutting down'));
    await expect(queue.run(() => Promise.resolve('after'), never())).rejects.toThrow('Shutting down');
  });
});

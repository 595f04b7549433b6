import { CoherentCache } from './coherent-cache';
import { InvalidationBus, InvalidationSubscriber } from './invalidation-bus';

class FakeBus {
  isTrusted = true;
  kind?: string;
  subscriber?: InvalidationSubscriber;
  subscribe(kind: string, subscriber: InvalidationSubscriber) {
    this.kind = kind;
    this.subscriber = subscriber;
  }
}

describe('CoherentCache', () => {
  let bus: FakeBus;
  let cache: CoherentCache<{ revoked: boolean }>;
  beforeEach(() => {
    bus = new FakeBus();
    cache = new CoherentCache(bus as unknown as InvalidationBus, { kind: 'thing_changed', max: 100, ttlMs: 60_000, absentTtlMs: 60_000 });
  });

  it('subscribes to the events of its own kind', () => {
    expect(bus.kind).toBe('thing_changed');
  });

  it('loads once, then answers from memory', async () => {
    const load = jest.fn().mockResolvedValue({ revoked: false });
    await cache.get('k', load);
    expect(await cache.get('k', load)).toEqual({ revoked: false });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('answers from memory synchronously: no promise on the hot path', async () => {
    const load = jest.fn().mockResolvedValue({ revoked: false });
    expect(cache.get('k', load)).toBeInstanceOf(Promise);
    await cache.get('k', load);
    expect(cache.get('k', load)).toEqual({ revoked: false });
  });

  it('remembers absence too', async () => {
    const load = jest.fn().mockResolvedValue(null);
    expect(await cache.get('k', load)).toBeNull();
    expect(await cache.get('k', load)).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('forgets a key when an event names it', async () => {
    const load = jest.fn().mockResolvedValueOnce({ revoked: false }).mockResolvedValueOnce({ revoked: true });
    await cache.get('k', load);
    bus.subscriber!.forget(['k']);
    expect(await cache.get('k', load)).toEqual({ revoked: true });
  });

  it('does not store a value read before an invalidation that arrived during the read', async () => {
    let finishRead!: (value: { revoked: boolean }) => void;
    const staleRead = cache.get('k', () => new Promise((resolve) => (finishRead = resolve)));
    bus.subscriber!.forget(['k']); // revoked while the read was in flight
    finishRead({ revoked: false });
    expect(await staleRead).toEqual({ revoked: false }); // that request raced the revocation, as it would anyway
    const load = jest.fn().mockResolvedValue({ revoked: true });
    expect(await cache.get('k', load)).toEqual({ revoked: true });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('neither answers from nor fills memory while the bus is not trusted', async () => {
    const load = jest.fn().mockResolvedValue({ revoked: false });
    await cache.get('k', load);
    bus.isTrusted = false;
    await cache.get('k', load);
    await cache.get('other', load);
    expect(load).toHaveBeenCalledTimes(3);
    bus.isTrusted = true;
    expect(cache.size).toBe(1);
  });

  it('empties itself when told events may have been missed', async () => {
    const load = jest.fn().mockResolvedValue({ revoked: false });
    await cache.get('k', load);
    bus.subscriber!.clear();
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

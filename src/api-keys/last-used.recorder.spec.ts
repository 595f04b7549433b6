import { ConfigService } from '@nestjs/config';
import { ApiKeysRepository } from './api-keys.repository';
import { LastUsedRecorder } from './last-used.recorder';

describe('LastUsedRecorder', () => {
  const config = { get: () => ({ lastUsedFlushMs: 60_000 }) } as unknown as ConfigService;
  let recordLastUsed: jest.Mock<Promise<void>, [string[], Date[]]>;
  let recorder: LastUsedRecorder;

  beforeEach(() => {
    recordLastUsed = jest.fn().mockResolvedValue(undefined);
    recorder = new LastUsedRecorder({ recordLastUsed } as unknown as ApiKeysRepository, config as never);
  });

  it('coalesces a thousand uses of one key into one row in one write', async () => {
    const start = Date.now();
    for (let i = 0; i < 1000; i++) recorder.record('key-1', start + i);
    await recorder.flush();
    expect(recordLastUsed).toHaveBeenCalledTimes(1);
    expect(recordLastUsed).toHaveBeenCalledWith(['key-1'], [new Date(start + 999)]);
  });

  it('batches several keys into one statement and writes nothing when idle', async () => {
    recorder.record('a', Date.now());
    recorder.record('b', Date.now());
    await recorder.flush();
    await recorder.flush();
    expect(recordLastUsed).toHaveBeenCalledTimes(1);
    expect(recordLastUsed.mock.calls[0][0].sort()).toEqual(['a', 'b']);
  });

  it('keeps uses for the next flush when a write fails', async () => {
    recordLastUsed.mockRejectedValueOnce(new Error('connection lost'));
    recorder.record('a', Date.now());
    await recorder.flush();
    await recorder.flush();
    expect(recordLastUsed).toHaveBeenCalledTimes(2);
    expect(recordLastUsed.mock.calls[1][0]).toEqual(['a']);
  });

  it('flushes at shutdown', async () => {
    recorder.onModuleInit();
    recorder.record('a', Date.now());
    await recorder.beforeApplicationShutdown();
    expect(recordLastUsed).toHaveBeenCalledTimes(1);
  });
});

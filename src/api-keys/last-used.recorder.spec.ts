import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { LastUsedRecorder } from './last-used.recorder';

describe('LastUsedRecorder', () => {
  const config = { get: () => ({ lastUsedFlushMs: 60_000 }) } as unknown as ConfigService;
  let query: jest.Mock;
  let recorder: LastUsedRecorder;

  beforeEach(() => {
    query = jest.fn().mockResolvedValue([]);
    recorder = new LastUsedRecorder({ query } as unknown as DataSource, config as never);
  });

  it('coalesces a thousand uses of one key into one row in one write', async () => {
    const start = Date.now();
    for (let i = 0; i < 1000; i++) recorder.record('key-1', start + i);
    await recorder.flush();
    expect(query).toHaveBeenCalledTimes(1);
    const [, [ids, times]] = query.mock.calls[0] as [string, [string[], string[]]];
    expect(ids).toEqual(['key-1']);
    expect(times).toEqual([new Date(start + 999).toISOString()]);
  });

  it('batches several keys into one statement and writes nothing when idle', async () => {
    recorder.record('a', Date.now());
    recorder.record('b', Date.now());
    await recorder.flush();
    await recorder.flush();
    expect(query).toHaveBeenCalledTimes(1);
    expect((query.mock.calls[0] as [string, string[][]])[1][0].sort()).toEqual(['a', 'b']);
  });

  it('keeps uses for the next flush when a write fails', async () => {
    query.mockRejectedValueOnce(new Error('connection lost'));
    recorder.record('a', Date.now());
    await recorder.flush();
    await recorder.flush();
    expect(query).toHaveBeenCalledTimes(2);
    expect((query.mock.calls[1] as [string, string[][]])[1][0]).toEqual(['a']);
  });

  it('flushes at shutdown', async () => {
    recorder.onModuleInit();
    recorder.record('a', Date.now());
    await recorder.onApplicationShutdown();
    expect(query).toHaveBeenCalledTimes(1);
  });
});

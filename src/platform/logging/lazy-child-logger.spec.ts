import { FastifyBaseLogger } from 'fastify';
import { Writable } from 'node:stream';
import { LazyChildLogger } from './lazy-child-logger';
import { createRootLogger } from './root-logger';

function rootLogger(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const root = createRootLogger({ level } as Parameters<typeof createRootLogger>[0], destination) as unknown as FastifyBaseLogger;
  return { root, lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('LazyChildLogger', () => {
  it('builds the child once, when something first logs through it', () => {
    const { root } = rootLogger();
    const child = jest.spyOn(root, 'child');
    const logger = LazyChildLogger.factory(root, { reqId: 'r-1' }, {});
    expect(logger.level).toBe('info');
    expect(child).not.toHaveBeenCalled();
    logger.info('one');
    logger.warn('two');
    expect(child).toHaveBeenCalledTimes(1);
    expect(child).toHaveBeenCalledWith({ reqId: 'r-1' }, {});
  });

  it('writes what a child logger writes: the bindings, the arguments, redaction', async () => {
    const { root, lines } = rootLogger();
    const logger = LazyChildLogger.factory(root, { reqId: 'r-2' }, {});
    logger.info({ statusCode: 200, authorization: 'Bearer secret', client: { key: 'mgp_secret' } }, 'done %s', 'here');
    logger.error(new Error('broken'));
    logger.child({ step: 'inner' }).warn('nested');
    await flush();
    expect(lines).toEqual([
      expect.objectContaining({
        reqId: 'r-2',
        statusCode: 200,
        authorization: '[redacted]',
        client: { key: '[redacted]' },
        msg: 'done here',
        level: 30,
      }),
      expect.objectContaining({ reqId: 'r-2', err: expect.objectContaining({ message: 'broken' }), level: 50 }),
      expect.objectContaining({ reqId: 'r-2', step: 'inner', msg: 'nested', level: 40 }),
    ]);
  });

  it('changes its own level only', async () => {
    const { root, lines } = rootLogger();
    const logger = LazyChildLogger.factory(root, { reqId: 'r-3' }, {});
    logger.level = 'error';
    logger.warn('dropped');
    root.warn('kept');
    await flush();
    expect(logger.level).toBe('error');
    expect(root.level).toBe('info');
    expect(lines.map((line) => line.msg)).toEqual(['kept']);
  });

  it('answers as a pino child would, without building one to say its level', () => {
    const { root } = rootLogger();
    const child = jest.spyOn(root, 'child');
    // A route's own logLevel arrives in the options.
    const logger = LazyChildLogger.factory(root, { reqId: 'r-4' }, { level: 'debug' }) as LazyChildLogger;
    expect(logger.level).toBe('debug');
    expect(logger.isLevelEnabled('debug')).toBe(true);
    expect(logger.isLevelEnabled('trace')).toBe(false);
    expect(logger.levelVal).toBe(20);
    expect(child).not.toHaveBeenCalled();
    expect(logger.bindings()).toEqual({ service: 'magpipe-auth', reqId: 'r-4' });
    expect(child).toHaveBeenCalledTimes(1);
  });
});

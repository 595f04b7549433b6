import { FastifyReply, FastifyRequest } from 'fastify';
import { AccessLog } from './access-log';

function completed(routeLevelEnabled: boolean, error?: Error) {
  const server = { log: { info: jest.fn(), error: jest.fn() } };
  const request = {
    id: 'req-1',
    method: 'GET',
    url: '/v1/auth/whoami?secret=1',
    server,
    log: { isLevelEnabled: () => routeLevelEnabled },
  } as unknown as FastifyRequest;
  const reply = { statusCode: error ? 500 : 200, elapsedTime: 1.234 } as unknown as FastifyReply;
  new AccessLog().requestCompleted(error, request, reply);
  return server.log;
}

describe('AccessLog', () => {
  it('writes one line through the root logger, with the request id and the path without its query', () => {
    const log = completed(true);
    expect(log.info).toHaveBeenCalledWith(
      { reqId: 'req-1', method: 'GET', path: '/v1/auth/whoami', statusCode: 200, responseTime: 1.23 },
      'request completed',
    );
  });

  it('writes failures at error level, with the error type and message only', () => {
    const log = completed(true, new TypeError('broken'));
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ reqId: 'req-1', err: { type: 'TypeError', message: 'broken' } }), 'request errored');
  });

  it("honours a route's own log level", () => {
    const log = completed(false);
    expect(log.info).not.toHaveBeenCalled();
  });
});

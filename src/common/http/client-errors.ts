import { FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { ErrorCode, errorDefinition } from '../errors/error-catalogue';
import '../errors/common-errors';

/** What Node's HTTP parser and timers report, as the codes of API.md. */
function codeOf(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request_timeout';
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'headers_too_large';
  return 'malformed_request';
}

/**
 * Fastify's `clientErrorHandler`: answers what the HTTP layer refuses before
 * any route sees it (431, 408, a malformed request line or header) with the
 * body of API.md and the security headers every response carries, then
 * closes the connection. It logs the error's code only: the error carries the
 * raw request (`rawPacket`), Authorization header and body included.
 */
export function clientErrorResponder(securityHeaders: Record<string, string>) {
  return function respond(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const code = codeOf(error);
    const { status, message } = errorDefinition(code);
    this.log.debug({ clientError: error.code ?? 'unknown' }, 'Refused a request before routing');
    if (!socket.writable) return void socket.destroy();
    const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status], code, message });
    const headers: Record<string, string | number> = {
      ...securityHeaders,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    };
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`);
  };
}

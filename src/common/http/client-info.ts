import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { isIP } from 'node:net';

/** The caller's address and user agent, as sessions (and the audit log) record them. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

const MAX_USER_AGENT_LENGTH = 512;

/** Reads the caller's `ClientInfo` from the request, for controllers that record it. */
export const Client = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ClientInfo => clientInfoOf(context.switchToHttp().getRequest<FastifyRequest>()),
);

export function clientInfoOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { ip: clientAddress(request), userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null };
}

/**
 * The caller's address: with TRUST_PROXY, the one the proxy put in
 * `X-Forwarded-For`. Anything there that is not an IP address is no address.
 */
export function clientAddress(request: FastifyRequest): string | null {
  const ip = request.ip;
  return typeof ip === 'string' && isIP(ip) !== 0 ? ip : null;
}

/** Who to count an attempt against: the caller's address, or the connection's when the header held none. */
export function rateLimitAddress(request: FastifyRequest): string {
  return clientAddress(request) ?? request.socket?.remoteAddress ?? 'unknown';
}

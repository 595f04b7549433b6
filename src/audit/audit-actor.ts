import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { ClientInfo, clientInfoOf } from '../common/http/client-info';
import { Principal } from '../credentials/principal';

/** Who acted, and from where: what an audit event records of the request that caused it. */
export interface AuditActor {
  method: 'session' | 'api_key' | 'anonymous';
  sessionId?: string;
  apiKeyId?: string;
  client: ClientInfo;
}

export function actorOf(principal: Principal | null | undefined, client: ClientInfo): AuditActor {
  if (!principal) return { method: 'anonymous', client };
  return principal.method === 'api_key'
    ? { method: 'api_key', apiKeyId: principal.apiKeyId, client }
    : { method: 'session', sessionId: principal.sessionId, client };
}

export const anonymous = (client: ClientInfo): AuditActor => ({ method: 'anonymous', client });

/** The request's actor, for a controller to hand the service whose change is audited. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): AuditActor => {
  const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal | null }>();
  return actorOf(request.user, clientInfoOf(request));
});

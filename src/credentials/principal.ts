/** Who made the request, as established by the bearer guard. */
export type Principal = ApiKeyPrincipal | SessionPrincipal;

export interface ApiKeyPrincipal {
  method: 'api_key';
  userId: string;
  apiKeyId: string;
}

export interface SessionPrincipal {
  method: 'session';
  userId: string;
  sessionId: string;
}

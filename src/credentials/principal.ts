/** Who made the request, as established by the bearer guard. */
export type Principal = ApiKeyPrincipal | SessionPrincipal;

export interface ApiKeyPrincipal {
  method: 'api_key';
  userId: string;
  apiKeyId: string;
  /** `["*"]` for full access. */
  scopes: readonly string[];
}

export interface SessionPrincipal {
  method: 'session';
  userId: string;
  sessionId: string;
  /** Always `FULL_ACCESS_SCOPES`: a session token holds every scope. */
  scopes: readonly string[];
}

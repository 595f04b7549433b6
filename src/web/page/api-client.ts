/**
 * The wire types of the public API (API.md) and the one function that calls it.
 * Same origin only: the page never talks to another host, and the CSP would refuse it.
 */

export interface User {
  id: string;
  email: string;
  name: string | null;
  created_at: string;
  email_verified_at: string | null;
}

export interface Session {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: User;
}

export interface SessionInfo {
  id: string;
  created_at: string;
  refreshed_at: string;
  user_agent: string | null;
  ip: string | null;
  current: boolean;
}

/** `["*"]`: everything the account can do. */
export const FULL_ACCESS = '*';

/** Why a key was revoked: by its owner, or through the public leak report. */
export type RevokedReason = 'revoked' | 'reported_leaked';

export interface ApiKey {
  id: string;
  name: string;
  key_prefix: string;
  /** False once revoked or expired. */
  is_active: boolean;
  /** `["*"]` (FULL_ACCESS) or scope names. */
  scopes: string[];
  /** null: never. */
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_reason: RevokedReason | null;
}

/** One entry of `GET /v1/api-keys/scopes`; modules add their own, so the page never lists them itself. */
export interface Scope {
  name: string;
  description: string;
}

/** The create and roll response: the only one that carries the full secret. */
export interface ApiKeyCreated extends ApiKey {
  key: string;
}

export interface AuditEvent {
  id: string;
  type: string;
  created_at: string;
  ip: string | null;
  user_agent: string | null;
  actor: { method: 'session' | 'api_key' | 'anonymous'; session_id?: string; api_key_id?: string };
  subject: { api_key_id?: string; session_id?: string };
}

export interface FieldError {
  field: string;
  message: string;
}

/** An error answer of the API, or a failure to reach it (`status` 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface ApiCall {
  accessToken?: string;
  body?: unknown;
}

export async function callApi<T>(method: HttpMethod, path: string, { accessToken, body }: ApiCall = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      // Responses carry tokens and keys: keep them out of the HTTP cache.
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The service could not be reached. Check your connection and try again.');
  }

  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok) return payload as T;
  throw toApiError(response.status, payload);
}

function toApiError(status: number, payload: unknown): ApiError {
  if (isErrorBody(payload)) return new ApiError(status, payload.code, payload.message, payload.details ?? []);
  return new ApiError(status, 'unexpected_response', `The service answered with an unexpected error (${status}).`);
}

interface ErrorBody {
  code: string;
  message: string;
  details?: FieldError[];
}

function isErrorBody(payload: unknown): payload is ErrorBody {
  if (typeof payload !== 'object' || payload === null) return false;
  const { code, message } = payload as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}

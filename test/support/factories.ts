import { randomBytes } from 'node:crypto';
import { TestApp } from './test-app';

export interface SignedUpUser {
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  userId: string;
  sessionId: string;
}

export const uniqueEmail = () => `user-${randomBytes(6).toString('hex')}@example.com`;

export async function signUp(t: TestApp, overrides: { email?: string; password?: string; name?: string } = {}): Promise<SignedUpUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? 'correct horse battery';
  const response = await t
    .http()
    .post('/v1/auth/signup')
    .send({ email, password, ...(overrides.name ? { name: overrides.name } : {}) })
    .expect(201);
  return sessionOf(response.body as SessionBody, email, password);
}

export async function logIn(t: TestApp, email: string, password: string): Promise<SignedUpUser> {
  const response = await t.http().post('/v1/auth/login').send({ email, password }).expect(200);
  return sessionOf(response.body as SessionBody, email, password);
}

export async function createApiKey(t: TestApp, token: string, name = 'CI Pipeline'): Promise<{ id: string; key: string }> {
  const response = await t.http().post('/v1/api-keys').set('Authorization', `Bearer ${token}`).send({ name }).expect(201);
  const body = response.body as { id: string; key: string };
  return { id: body.id, key: body.key };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

interface SessionBody {
  access_token: string;
  refresh_token: string;
  user: { id: string };
}

function sessionOf(body: SessionBody, email: string, password: string): SignedUpUser {
  const claims = decodeJwt(body.access_token);
  return {
    email,
    password,
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    userId: body.user.id,
    sessionId: claims.sid as string,
  };
}

import { defineScopes, ScopesOf } from '../credentials/scopes';

export const SESSION_SCOPES = defineScopes({
  'sessions:read': 'List your signed-in sessions',
  'sessions:write': 'Sign sessions out',
});

declare module '../credentials/scopes' {
  interface Scopes extends ScopesOf<typeof SESSION_SCOPES> {}
}

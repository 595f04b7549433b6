import { defineScopes, ScopesOf } from '../credentials/scopes';

export const AUDIT_SCOPES = defineScopes({
  'audit:read': 'Read your security activity',
});

declare module '../credentials/scopes' {
  interface Scopes extends ScopesOf<typeof AUDIT_SCOPES> {}
}

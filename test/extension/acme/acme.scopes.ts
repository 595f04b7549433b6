import { defineScopes, ScopesOf } from '../../../src/credentials/scopes';

export const ACME_SCOPES = defineScopes({
  'widgets:read': 'List your widgets',
  'widgets:write': 'Create widgets',
  'reports:read': 'Read your reports',
});

declare module '../../../src/credentials/scopes' {
  interface Scopes extends ScopesOf<typeof ACME_SCOPES> {}
}

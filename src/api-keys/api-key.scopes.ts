import { defineScopes, ScopesOf } from '../credentials/scopes';

export const API_KEY_SCOPES = defineScopes({
  'api_keys:read': 'List and read your API keys (never a key itself), and the scopes they can hold',
  'api_keys:write': 'Create, roll, rename and revoke API keys, within the scopes of the key that asks',
});

declare module '../credentials/scopes' {
  interface Scopes extends ScopesOf<typeof API_KEY_SCOPES> {}
}

import { defineScopes, ScopesOf } from '../credentials/scopes';

export const USER_SCOPES = defineScopes({
  'users:read': 'Read your profile',
  'users:write': 'Change your profile',
});

declare module '../credentials/scopes' {
  interface Scopes extends ScopesOf<typeof USER_SCOPES> {}
}

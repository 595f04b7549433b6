import { defineAuditEventTypes, TypesOf } from '../audit/audit-event-types';

export const API_KEY_EVENTS = defineAuditEventTypes({
  'api_key.created': { description: 'An API key was created', subject: ['api_key_id'], actor: 'credential' },
  'api_key.renamed': { description: 'An API key was renamed', subject: ['api_key_id'], actor: 'credential' },
  'api_key.revoked': { description: 'An API key was revoked', subject: ['api_key_id'], actor: 'credential' },
  'api_key.rolled': {
    description: 'An API key was rolled: a new key replaces it, and it expires after the overlap (subject: the old key)',
    subject: ['api_key_id'],
    actor: 'credential',
  },
  'api_key.reported_leaked': {
    description: 'An API key was reported leaked and revoked at once',
    subject: ['api_key_id'],
    actor: 'anonymous',
  },
});

declare module '../audit/audit-event-types' {
  interface AuditEventTypes extends TypesOf<typeof API_KEY_EVENTS> {}
}

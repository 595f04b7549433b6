import { defineAuditEventTypes, TypesOf } from '../../../src/audit/audit-event-types';

export const ACME_EVENTS = defineAuditEventTypes({
  'widget.created': { description: 'A widget was created', subject: [], actor: 'credential' },
});

declare module '../../../src/audit/audit-event-types' {
  interface AuditEventTypes extends TypesOf<typeof ACME_EVENTS> {}
}

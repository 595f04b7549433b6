import { defineAuditEventTypes, TypesOf } from '../audit/audit-event-types';

export const AUTH_EVENTS = defineAuditEventTypes({
  'user.signed_up': { description: 'The account was created, and its first session started', subject: ['session_id'], actor: 'anonymous' },
  'user.login_succeeded': { description: 'A sign-in with the password started a session', subject: ['session_id'], actor: 'anonymous' },
  'user.login_failed': { description: 'A sign-in gave a wrong password for this account', subject: [], actor: 'anonymous' },
  'session.ended': { description: 'A session was signed out', subject: ['session_id'], actor: 'credential' },
  'session.refresh_reuse_detected': {
    description: 'A spent refresh token was used again, so it may have been stolen: its session was ended',
    subject: ['session_id'],
    actor: 'anonymous',
  },
  'password.changed': { description: 'The password was changed, and every other session ended', subject: ['session_id'], actor: 'credential' },
  'password.reset_requested': { description: 'A password-reset link was sent to the email', subject: [], actor: 'anonymous' },
  'password.reset_completed': { description: 'The password was set with a reset link, and every session ended', subject: [], actor: 'anonymous' },
  'email.verified': { description: 'The email was verified with a link sent to it', subject: [], actor: 'anonymous' },
});

declare module '../audit/audit-event-types' {
  interface AuditEventTypes extends TypesOf<typeof AUTH_EVENTS> {}
}

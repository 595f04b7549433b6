/**
 * The catalogue of audit event types. Like error codes, it is open: each
 * module declares the types it records next to the code that records them,
 * and they join the spec's `AuditEventType` enum and its examples:
 *
 *     export const WIDGET_EVENTS = defineAuditEventTypes({
 *       'widget.locked': { description: 'A widget was locked', subject: [] },
 *     });
 *     declare module '../audit/audit-event-types' {
 *       interface AuditEventTypes extends TypesOf<typeof WIDGET_EVENTS> {}
 *     }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AuditEventTypes {}

export type AuditEventType = Extract<keyof AuditEventTypes, string>;

export type TypesOf<T> = { [K in keyof T]: true };

export interface AuditEventTypeDefinition {
  description: string;
  /** What its subject names, for the spec's examples. */
  subject: ('api_key_id' | 'session_id')[];
  /** Who can do it: anonymous for sign-up and sign-in, a credential for the rest. */
  actor: 'anonymous' | 'credential';
}

const catalogue = new Map<string, AuditEventTypeDefinition>();

export function defineAuditEventTypes<const T extends Record<string, AuditEventTypeDefinition>>(types: T): { readonly [K in keyof T]: K } {
  const names = {} as Record<string, string>;
  for (const [type, definition] of Object.entries(types)) {
    if (!/^[a-z_]+\.[a-z_]+$/.test(type)) throw new Error(`An audit event type is "thing.happened": ${type}`);
    catalogue.set(type, definition);
    names[type] = type;
  }
  return names as { readonly [K in keyof T]: K };
}

/** Every type defined so far, sorted, with its definition. */
export function definedAuditEventTypes(): [string, AuditEventTypeDefinition][] {
  return [...catalogue].sort(([a], [b]) => a.localeCompare(b));
}

export function isDefinedAuditEventType(type: string): boolean {
  return catalogue.has(type);
}

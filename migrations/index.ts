/** Every migration of the service's own, in order. A new migration is added here too (CI's drift check fails otherwise). */
import { CreateUsersSessionsApiKeys1764237600000 } from './1764237600000-CreateUsersSessionsApiKeys';
import { CreateAuditEvents1796199729433 } from './1796199729433-CreateAuditEvents';
import { AccountLifecycle1796206524561 } from './1796206524561-AccountLifecycle';
import { LeastPrivilegeKeys1796214847461 } from './1796214847461-LeastPrivilegeKeys';

export const migrations = [CreateUsersSessionsApiKeys1764237600000, CreateAuditEvents1796199729433, AccountLifecycle1796206524561, LeastPrivilegeKeys1796214847461];

/** Every migration, in order. A new migration is added here too (CI's drift check fails otherwise). */
import { CreateUsersSessionsApiKeys1764237600000 } from './1764237600000-CreateUsersSessionsApiKeys';

export const migrations = [CreateUsersSessionsApiKeys1764237600000];

import { ApiException } from './api-exception';

/**
 * Turns an error from a lower layer (the database driver, say) into an API
 * error, or leaves it (undefined). The exception filter asks each one it was
 * given, so that common/ knows no such layer.
 */
export type ErrorTranslator = (error: unknown) => ApiException | undefined;

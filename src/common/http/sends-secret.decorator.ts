import { applyDecorators, Header, SetMetadata } from '@nestjs/common';

/** Route metadata: the success response carries a secret (a session, a new key). */
export const SENDS_SECRET = 'http:sends-secret';

/**
 * The response carries a secret: no cache, shared or private, may keep it
 * (`Cache-Control: no-store`). The spec documents the header.
 */
export const SendsSecret = () => applyDecorators(Header('Cache-Control', 'no-store'), SetMetadata(SENDS_SECRET, true));

import { ParseUUIDPipe } from '@nestjs/common';
import { ApiException } from '../errors/api-exception';

/** A path id that is not a UUID is a 400 `validation_failed`, never a database error. */
export const UuidParam = (field = 'id') =>
  new ParseUUIDPipe({
    exceptionFactory: () =>
      new ApiException('validation_failed', `${field} must be a UUID`, {
        details: [{ field, message: `${field} must be a UUID` }],
      }),
  });

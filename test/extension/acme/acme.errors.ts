import { CodesOf, defineErrorCodes } from '../../../src/common/errors/error-catalogue';

export const ACME_ERRORS = defineErrorCodes({
  widget_name_taken: [409, 'You already have a widget with this name'],
});

declare module '../../../src/common/errors/error-catalogue' {
  interface ErrorCodes extends CodesOf<typeof ACME_ERRORS> {}
}

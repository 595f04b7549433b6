import { STATUS_CODES } from 'node:http';
import { ErrorCode, errorDefinition } from '../errors/error-catalogue';

/** Route metadata: the error codes a route, or every route of a controller, can answer. */
export const API_ERRORS = 'api:errors';

/**
 * Declares the error codes a route (or a controller's every route) can
 * answer. The OpenAPI document turns them into one response per status, with
 * the shared error schema and an example per code; the credential and server
 * errors that follow from a route's auth policy are added there too.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = descriptor ? (descriptor.value as object) : target;
    const declared = (Reflect.getMetadata(API_ERRORS, holder) as ErrorCode[] | undefined) ?? [];
    Reflect.defineMetadata(API_ERRORS, [...declared, ...codes.filter((code) => !declared.includes(code))], holder);
  };
}

interface HeaderObject {
  description: string;
  schema: { type: 'string' | 'integer' };
}

const RETRY_AFTER: HeaderObject = { description: 'Seconds to wait before trying again', schema: { type: 'integer' } };

const HEADERS_BY_STATUS: Record<number, Record<string, HeaderObject>> = {
  401: {
    'WWW-Authenticate': {
      description: 'RFC 6750 challenge: `Bearer realm="magpipe"`, with `error="invalid_token"` when a credential was sent',
      schema: { type: 'string' },
    },
  },
  405: { Allow: { description: 'The methods the path does answer', schema: { type: 'string' } } },
  429: { 'Retry-After': RETRY_AFTER },
  503: { 'Retry-After': RETRY_AFTER },
};

/** Headers that only some codes of a status carry: documented when every code of the response carries them. */
const HEADERS_BY_CODE: Partial<Record<ErrorCode, Record<string, HeaderObject>>> = {
  insufficient_scope: {
    'WWW-Authenticate': {
      description: 'RFC 6750 challenge: `Bearer realm="magpipe", error="insufficient_scope", scope="…"` (the scope needed, when one is)',
      schema: { type: 'string' },
    },
  },
};

function headersOf(status: number, codes: ErrorCode[]): Record<string, HeaderObject> | undefined {
  const byCode = codes.map((code) => HEADERS_BY_CODE[code]);
  const shared = byCode.every(Boolean) ? (Object.assign({}, ...byCode) as Record<string, HeaderObject>) : undefined;
  return HEADERS_BY_STATUS[status] || shared ? { ...HEADERS_BY_STATUS[status], ...shared } : undefined;
}

/** The OpenAPI responses for `codes`: one per status, an example per code, and the headers that status carries. */
export function errorResponses(codes: readonly ErrorCode[], errorSchemaRef: string): Record<string, object> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const { status } = errorDefinition(code);
    const listed = byStatus.get(status) ?? [];
    if (!listed.includes(code)) byStatus.set(status, [...listed, code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => [
      String(status),
      {
        description: statusCodes.map((code) => `\`${code}\``).join(', '),
        ...(headersOf(status, statusCodes) && { headers: headersOf(status, statusCodes) }),
        content: {
          'application/json': {
            schema: { $ref: errorSchemaRef },
            examples: Object.fromEntries(
              statusCodes.map((code) => [
                code,
                { value: { statusCode: status, error: STATUS_CODES[status], code, message: errorDefinition(code).message } },
              ]),
            ),
          },
        },
      },
    ]),
  );
}

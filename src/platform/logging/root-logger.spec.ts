import { loggableError } from './root-logger';

describe('loggableError', () => {
  it('keeps an error to its type, message and codes', () => {
    const error = Object.assign(new TypeError('broken'), { code: 'ERR_X', rawPacket: Buffer.from('secret request') });
    expect(loggableError(error)).toEqual({ type: 'TypeError', message: 'broken', code: 'ERR_X' });
  });

  it('keeps what a caller already reduced to a type and a message, and drops the rest', () => {
    expect(loggableError({ type: 'TypeError', message: 'broken', parameters: ['mgp_secret'] })).toEqual({ type: 'TypeError', message: 'broken' });
    expect(loggableError({ message: 'SMTP refused' })).toEqual({ message: 'SMTP refused' });
  });

  it('says what anything else is', () => {
    expect(loggableError('a string')).toEqual({ type: 'string', message: 'a string' });
    expect(loggableError({ no: 'message' })).toEqual({ type: 'object', message: '[object Object]' });
  });
});

import { CommonPasswords } from './common-passwords';

describe('CommonPasswords', () => {
  const common = new CommonPasswords();

  it('knows at least the 10,000 most common passwords', () => {
    expect(common.size).toBeGreaterThanOrEqual(10_000);
  });

  it('refuses them whatever the case, and in any Unicode form', () => {
    for (const password of ['password1', 'PASSWORD1', 'Qwertyuiop', 'ｐａｓｓｗｏｒｄ１']) {
      expect(() => common.assertNotCommon(password)).toThrow(expect.objectContaining({ code: 'weak_password' }));
    }
  });

  it('accepts a password that is not on the list, with no rules about its characters', () => {
    for (const password of ['correct horse battery staple', 'alllowercaseletters', 'ünïcödé pässwörd']) {
      expect(() => common.assertNotCommon(password)).not.toThrow();
    }
  });
});

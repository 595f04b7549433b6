import { Injectable } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import { ApiException } from '../../common/errors/api-exception';
import '../auth.errors';
import { normalizePassword } from './password';

/**
 * The passwords attackers try first: the 49,000 most common of
 * @zxcvbn-ts/language-common (MIT), read once at boot, compared in the normal
 * form passwords are hashed in and without regard to case. No composition
 * rules, as NIST SP 800-63B §5.1.1.2 advises.
 */
@Injectable()
export class CommonPasswords {
  private readonly passwords = new Set(dictionary['passwords-common'].map((password) => CommonPasswords.key(password)));

  get size(): number {
    return this.passwords.size;
  }

  /** Throws 400 `weak_password` for a password on the list. */
  assertNotCommon(password: string): void {
    if (this.passwords.has(CommonPasswords.key(password))) throw new ApiException('weak_password');
  }

  private static key(password: string): string {
    return normalizePassword(password).toLowerCase();
  }
}

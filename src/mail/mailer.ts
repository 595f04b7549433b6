import { Injectable } from '@nestjs/common';
import { Transaction } from '../database/transactions';
import { MailOutboxRepository } from './mail-outbox.repository';
import { MailSender } from './mail-sender';

export interface Mail {
  /** The account it is for, if any: deleting the account deletes it. */
  userId: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends mail the way a change must: the message is a row written in the
 * change's transaction (a durable outbox), so it exists exactly if the
 * change does; the sender delivers it once the transaction has committed.
 */
@Injectable()
export class Mailer {
  constructor(
    private readonly outbox: MailOutboxRepository,
    private readonly sender: MailSender,
  ) {}

  async send(tx: Transaction, mail: Mail): Promise<void> {
    await this.outbox.insert(tx, { userId: mail.userId, recipient: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    tx.afterCommit(() => this.sender.nudge());
  }
}

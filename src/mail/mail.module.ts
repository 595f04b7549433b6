import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../config/app-config';
import { DatabaseModule } from '../database/database.module';
import { MailOutboxRepository } from './mail-outbox.repository';
import { MailSender } from './mail-sender';
import { mailTransportFor, MailTransport } from './mail-transport';
import { Mailer } from './mailer';
import { OutboxMessage } from './outbox-message.entity';

/** Outgoing mail: the outbox, its sender, and SMTP (SMTP_URL) or .eml files. It knows no message of its own. */
@Module({
  imports: [DatabaseModule.forFeature({ entities: [OutboxMessage] })],
  providers: [
    MailOutboxRepository,
    MailSender,
    Mailer,
    {
      provide: MailTransport,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => mailTransportFor(config.get('mail', { infer: true })),
    },
  ],
  exports: [Mailer, MailSender, MailOutboxRepository],
})
export class MailModule {}

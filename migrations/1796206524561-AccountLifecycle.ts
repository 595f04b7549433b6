import { MigrationInterface, QueryRunner } from 'typeorm';

/** Email verification, one-time link tokens, and the mail outbox. */
export class AccountLifecycle1796206524561 implements MigrationInterface {
  name = 'AccountLifecycle1796206524561';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "email_verified_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`
      CREATE TABLE "account_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "purpose" character varying(32) NOT NULL,
        "token_hash" character(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_account_tokens" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_account_tokens_token_hash" ON "account_tokens" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "idx_account_tokens_user_id_purpose" ON "account_tokens" ("user_id", "purpose")`);
    await queryRunner.query(`
      ALTER TABLE "account_tokens" ADD CONSTRAINT "fk_account_tokens_user_id"
        FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`
      CREATE TABLE "mail_outbox" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid,
        "recipient" character varying(254) NOT NULL,
        "subject" character varying(200) NOT NULL,
        "text" text NOT NULL,
        "html" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "locked_until" TIMESTAMP WITH TIME ZONE,
        "attempts" integer NOT NULL DEFAULT '0',
        "last_error" character varying(200),
        CONSTRAINT "pk_mail_outbox" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_mail_outbox_next_attempt_at" ON "mail_outbox" ("next_attempt_at")`);
    await queryRunner.query(`
      ALTER TABLE "mail_outbox" ADD CONSTRAINT "fk_mail_outbox_user_id"
        FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "mail_outbox"`);
    await queryRunner.query(`DROP TABLE "account_tokens"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
  }
}

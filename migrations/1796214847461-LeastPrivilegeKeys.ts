import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys gain scopes (full access for every existing key), an optional expiry, and why a key was revoked. */
export class LeastPrivilegeKeys1796214847461 implements MigrationInterface {
  name = 'LeastPrivilegeKeys1796214847461';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "revoked_reason" character varying(20)`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "scopes" text array NOT NULL DEFAULT '{*}'`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "expires_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "api_keys" SET "revoked_reason" = 'revoked' WHERE "revoked_at" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "expires_at"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "scopes"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "revoked_reason"`);
  }
}

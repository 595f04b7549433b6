import { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit log: one row per security-relevant event, deleted with its account. */
export class CreateAuditEvents1796199729433 implements MigrationInterface {
  name = 'CreateAuditEvents1796199729433';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "user_id" uuid NOT NULL,
        "type" character varying(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "actor_method" character varying(16) NOT NULL,
        "actor_session_id" uuid,
        "actor_api_key_id" uuid,
        "subject_session_id" uuid,
        "subject_api_key_id" uuid,
        "ip" character varying(64),
        "user_agent" character varying(512),
        CONSTRAINT "pk_audit_events" PRIMARY KEY ("id")
      )`);
    // A page of one user's events, newest first, is one backward range scan of this index.
    await queryRunner.query(`CREATE INDEX "idx_audit_events_user_id_created_at_seq" ON "audit_events" ("user_id", "created_at", "seq")`);
    // Retention deletes the oldest events first.
    await queryRunner.query(`CREATE INDEX "idx_audit_events_created_at" ON "audit_events" ("created_at")`);
    await queryRunner.query(`
      ALTER TABLE "audit_events" ADD CONSTRAINT "fk_audit_events_user_id"
        FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}

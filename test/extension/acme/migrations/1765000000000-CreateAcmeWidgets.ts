import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAcmeWidgets1765000000000 implements MigrationInterface {
  name = 'CreateAcmeWidgets1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "acme_widgets" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "name" character varying(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_acme_widgets" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_acme_widgets_user_id_name" ON "acme_widgets" ("user_id", "name")`);
    await queryRunner.query(`
      ALTER TABLE "acme_widgets" ADD CONSTRAINT "fk_acme_widgets_user_id"
        FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "acme_widgets"`);
  }
}

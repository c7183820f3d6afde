import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AiTemplatesInit1763800000000 implements MigrationInterface {
  name = 'AiTemplatesInit1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS ai_templates`);
    await q.query(`
      CREATE TABLE ai_templates.templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        name text NOT NULL,
        prompt_text text NOT NULL,
        is_active boolean NOT NULL DEFAULT false,
        variables jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX templates_one_active_per_workspace ON ai_templates.templates (workspace_id) WHERE is_active`,
    );
    await q.query(`CREATE INDEX templates_by_workspace ON ai_templates.templates (workspace_id, created_at)`);
    await q.query(`
      CREATE TABLE ai_templates.generations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        template_id uuid NULL,
        provider text NOT NULL,
        variables jsonb NOT NULL,
        output jsonb NULL,
        error_code text NULL,
        attempts int NOT NULL,
        elapsed_ms int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE TABLE ai_templates.workspace_seeds (workspace_id text PRIMARY KEY, seeded_at timestamptz NOT NULL DEFAULT now())`,
    );
    await q.query(`CREATE INDEX generations_by_workspace ON ai_templates.generations (workspace_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ai_templates.workspace_seeds`);
    await q.query(`DROP TABLE ai_templates.generations`);
    await q.query(`DROP TABLE ai_templates.templates`);
  }
}

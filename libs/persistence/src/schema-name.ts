/**
 * Postgres schema names we accept: lower-case identifiers that need no quoting
 * (`ai_templates`, not `ai-templates`), so they are safe to interpolate into DDL.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema) || schema.startsWith('pg_') || schema === 'information_schema') {
    throw new Error(
      `invalid schema name "${schema}": use a lower-case identifier of letters, digits and "_" (e.g. "ai_templates")`,
    );
  }
}

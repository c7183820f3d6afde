import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { z } from 'zod';
import { jsonObjectBody } from '../../http/json-body';
import { jsonSchemaOf } from '../../http/zod.pipe';

const NUMERIC = new Set(['limit', 'hours', 'count']);
const BOOLEAN = new Set(['includeDeleted', 'paused']);
/** Instants with an offset: an unencoded `+02:00` arrives as ` 02:00` (form decoding), so the `+` is restored. */
const INSTANT = new Set(['from', 'to']);

/**
 * Query strings arrive as text; numeric and boolean keys are converted so the command schema can
 * validate them (a non-number becomes NaN and fails with a coded 422, never a crash).
 */
export function queryToRequest(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string') continue;
    if (NUMERIC.has(key)) out[key] = value.trim() === '' ? Number.NaN : Number(value);
    else if (BOOLEAN.has(key)) out[key] = value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
    else if (INSTANT.has(key)) out[key] = value.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
    else out[key] = value;
  }
  return out;
}

/** A JSON object body; an array or scalar is a 400, never read as an empty request (see jsonObjectBody). */
export const bodyObject = jsonObjectBody;

/** Documents each top-level field of a command's request schema as an OpenAPI query parameter. */
export function ApiQueryFrom(schema: z.ZodObject): MethodDecorator {
  return applyDecorators(
    ...Object.entries(schema.shape).map(([name, field]) =>
      ApiQuery({ name, required: !(field as z.ZodType).safeParse(undefined).success, schema: jsonSchemaOf(field as z.ZodType) }),
    ),
  );
}

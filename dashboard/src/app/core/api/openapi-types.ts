/**
 * Shorthands over the types generated from the gateway's OpenAPI document (openapi.d.ts, see
 * dashboard/scripts/api-types.ts). Use these wherever the document describes a shape, so a
 * change in the gateway breaks the dashboard's build instead of its runtime.
 */
import type { components, operations } from './openapi';

export type ApiSchemas = components['schemas'];
export type OperationId = keyof operations;

/** The query parameters of an operation (`{}` when it takes none). */
export type QueryOf<Op extends OperationId> = NonNullable<operations[Op]['parameters']['query']>;

/** The JSON request body of an operation. */
export type JsonBodyOf<Op extends OperationId> = operations[Op]['requestBody'] extends
  | { content: { 'application/json': infer Body } }
  | undefined
  ? Body
  : never;

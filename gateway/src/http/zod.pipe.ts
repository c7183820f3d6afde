import { applyDecorators, Body, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { AppError } from '@sx/service-kit';

/** Validates with a zod schema; failures are 422 `validation_failed` listing each bad field. */
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.infer<T> {
    const parsed = this.schema.safeParse(value ?? {});
    if (!parsed.success) {
      throw AppError.validation(
        'The request is not valid',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    return parsed.data;
  }
}

/** JSON Schema of a zod schema for the OpenAPI document. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

/** `@ZodBody(schema)`: validated body parameter, documented in OpenAPI from the same schema. */
export const ZodBody = <T extends z.ZodType>(schema: T): ParameterDecorator => {
  const param = Body(new ZodPipe(schema));
  const doc = ApiBody({ schema: jsonSchemaOf(schema) });
  return (target, key, index) => {
    param(target, key, index);
    if (key !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (descriptor) doc(target, key, descriptor);
    }
  };
};

/** `@ZodQuery(schema)`: validated query object, each top-level property documented as a query parameter. */
export const ZodQuery = <T extends z.ZodObject>(schema: T): ParameterDecorator => {
  const param = Query(new ZodPipe(schema));
  const docs = applyDecorators(
    ...Object.entries(schema.shape).map(([name, field]) =>
      ApiQuery({ name, required: !(field as z.ZodType).safeParse(undefined).success, schema: jsonSchemaOf(field as z.ZodType) }),
    ),
  );
  return (target, key, index) => {
    param(target, key, index);
    if (key !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (descriptor) docs(target, key, descriptor);
    }
  };
};

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildOpenApiDocument, serializeOpenApi } from './openapi-document';

describe('committed OpenAPI document', () => {
  it('matches the code (regenerate with `npx nx run gateway:openapi` when this fails)', async () => {
    const doc = await buildOpenApiDocument();
    const committed = readFileSync(path.resolve(__dirname, '../../openapi.json'), 'utf8');
    expect(committed).toBe(serializeOpenApi(doc));
  });

  it('documents the gateway routes with their zod-derived request schemas', async () => {
    const doc = await buildOpenApiDocument();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/events', '/api/audit-log', '/health']));
    const login = doc.paths['/api/auth/login']?.post?.requestBody as { content: Record<string, { schema: { required?: string[] } }> };
    expect(login.content['application/json'].schema.required).toEqual(['email', 'password']);
  });
});

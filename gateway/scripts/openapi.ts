// Regenerates gateway/openapi.json from the code: `npx nx run gateway:openapi`.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildOpenApiDocument, serializeOpenApi } from '../src/openapi/openapi-document';

buildOpenApiDocument()
  .then((doc) => {
    const target = path.resolve(__dirname, '..', 'openapi.json');
    writeFileSync(target, serializeOpenApi(doc));
    process.stdout.write(`wrote ${target} (${Object.keys(doc.paths).length} paths)\n`);
  })
  .catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });

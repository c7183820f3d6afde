import { randomBytes } from 'node:crypto';

export interface MultipartField {
  name: string;
  value: string | Uint8Array;
  filename?: string;
  contentType?: string;
}

/** Builds a multipart/form-data body (for media uploads through the HTTP helper). */
export function multipart(fields: readonly MultipartField[]): { body: Buffer; contentType: string } {
  const boundary = `----sx${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const f of fields) {
    const name = f.name.replace(/"/g, '%22');
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"`;
    if (f.filename !== undefined) head += `; filename="${f.filename.replace(/"/g, '%22')}"`;
    head += '\r\n';
    if (f.contentType) head += `Content-Type: ${f.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.from(f.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

import { buildForm, errorText, fieldsOf, formValue } from './schema-form';
import { JsonSchema } from '../../core/api/json-schema';

// The webhook and Bluesky plugins' credential schemas, as their package.json declares them.
const WEBHOOK: JsonSchema = {
  type: 'object',
  properties: {
    url: { type: 'string', format: 'uri', secret: true, title: 'Receiver URL' },
    secret: { type: 'string', secret: true, minLength: 16, title: 'Signing secret' },
  },
  required: ['url', 'secret'],
};
const BLUESKY: JsonSchema = {
  type: 'object',
  properties: {
    identifier: { type: 'string', title: 'Handle or DID' },
    appPassword: { type: 'string', secret: true, title: 'App password' },
    did: { type: 'string' },
    accessJwt: { type: 'string', secret: true },
  },
  required: ['identifier', 'appPassword'],
};

describe('schema form model', () => {
  it('renders secrets as password fields and skips untitled optional session fields', () => {
    const bsky = fieldsOf(BLUESKY);
    expect(bsky.map((f) => [f.key, f.kind, f.required])).toEqual([
      ['identifier', 'text', true],
      ['appPassword', 'password', true],
    ]);
    expect(fieldsOf(WEBHOOK).map((f) => f.kind)).toEqual(['password', 'password']);
    expect(fieldsOf(null)).toEqual([]);
  });

  it('validates required, minLength and URL format from the schema', () => {
    const fields = fieldsOf(WEBHOOK);
    const form = buildForm(fields);
    expect(form.valid).toBe(false);
    form.setValue({ url: 'not a url', secret: 'short' });
    expect(errorText(fields[0], form.get('url'))).toBe('Enter an http(s) URL');
    expect(errorText(fields[1], form.get('secret'))).toBe('At least 16 characters');
    form.setValue({ url: 'http://127.0.0.1:9/hook', secret: '0123456789abcdef' });
    expect(form.valid).toBe(true);
    expect(formValue(fields, form.getRawValue())).toEqual({ url: 'http://127.0.0.1:9/hook', secret: '0123456789abcdef' });
  });

  it('coerces numbers and drops empty optional values', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { port: { type: 'integer', title: 'Port', minimum: 1 }, note: { type: 'string', title: 'Note' } },
    };
    const fields = fieldsOf(schema);
    expect(formValue(fields, { port: '8080', note: '' })).toEqual({ port: 8080 });
  });
});

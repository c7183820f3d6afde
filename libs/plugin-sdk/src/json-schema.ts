import type { ObjectJsonSchema } from './manifest';

type Prop = Record<string, unknown>;

/**
 * Validates a value against the subset of JSON Schema manifests use for credentials and settings:
 * object with properties (string/number/integer/boolean/array), required, enum, minLength,
 * maxLength, pattern, format uri, minimum, maximum, additionalProperties:false.
 * Returns problems as `field: message` and never echoes the values (they may be secrets).
 */
export function checkJsonSchema(schema: ObjectJsonSchema, value: unknown): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return ['(root): must be an object'];
  const obj = value as Record<string, unknown>;
  const problems: string[] = [];
  const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
  for (const key of required) if (obj[key] === undefined || obj[key] === '') problems.push(`${key}: is required`);
  if (schema['additionalProperties'] === false) {
    for (const key of Object.keys(obj)) if (!(key in schema.properties)) problems.push(`${key}: is not allowed`);
  }
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (obj[key] === undefined) continue;
    const p = checkProp(prop, obj[key]);
    if (p) problems.push(`${key}: ${p}`);
  }
  return problems;
}

function checkProp(prop: Prop, v: unknown): string | undefined {
  const type = prop['type'];
  if (Array.isArray(prop['enum']) && !(prop['enum'] as unknown[]).includes(v)) {
    return `must be one of ${(prop['enum'] as unknown[]).join(', ')}`;
  }
  switch (type) {
    case 'string':
      return typeof v === 'string' ? checkString(prop, v) : 'must be a string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) ? checkNumber(prop, v) : 'must be an integer';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? checkNumber(prop, v) : 'must be a number';
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be a boolean';
    case 'array':
      return Array.isArray(v) ? undefined : 'must be an array';
    default:
      return undefined;
  }
}

function checkString(prop: Prop, v: string): string | undefined {
  if (typeof prop['minLength'] === 'number' && v.length < prop['minLength']) return `shorter than ${prop['minLength']}`;
  if (typeof prop['maxLength'] === 'number' && v.length > prop['maxLength']) return `longer than ${prop['maxLength']}`;
  if (typeof prop['pattern'] === 'string' && !new RegExp(prop['pattern'], 'u').test(v)) return 'has the wrong format';
  if (prop['format'] === 'uri') {
    try {
      const u = new URL(v);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must be an http(s) URL';
    } catch {
      return 'must be a URL';
    }
  }
  return undefined;
}

function checkNumber(prop: Prop, v: number): string | undefined {
  if (typeof prop['minimum'] === 'number' && v < prop['minimum']) return `below ${prop['minimum']}`;
  if (typeof prop['maximum'] === 'number' && v > prop['maximum']) return `above ${prop['maximum']}`;
  return undefined;
}

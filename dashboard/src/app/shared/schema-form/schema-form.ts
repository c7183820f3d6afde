import { AbstractControl, FormControl, FormGroup, ValidatorFn, Validators } from '@angular/forms';
import { JsonSchema } from '../../core/api/json-schema';

export type FieldKind = 'text' | 'password' | 'number' | 'boolean' | 'select' | 'url' | 'email';

export interface SchemaField {
  key: string;
  label: string;
  description?: string;
  kind: FieldKind;
  required: boolean;
  options: (string | number)[];
  schema: JsonSchema;
}

/**
 * Flatten an object schema into form fields. Nested objects are skipped, and so are optional
 * fields without a title: plugins keep session state there (e.g. Bluesky's accessJwt), not user input.
 */
export function fieldsOf(schema: JsonSchema | null | undefined): SchemaField[] {
  if (!schema?.properties) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties)
    .filter(([key, s]) => s.type !== 'object' && (required.has(key) || !!s.title))
    .map(([key, s]) => ({
      key,
      label: s.title ?? key,
      description: s.description,
      kind: kindOf(key, s),
      required: required.has(key),
      options: s.enum ?? [],
      schema: s,
    }));
}

const isUrl = (s: JsonSchema): boolean => s.format === 'uri' || s.format === 'url';

function kindOf(key: string, s: JsonSchema): FieldKind {
  if (s.enum?.length) return 'select';
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'number' || s.type === 'integer') return 'number';
  if (s.secret || s.writeOnly || s.format === 'password' || /secret|password|token|key/i.test(key)) return 'password';
  if (isUrl(s)) return 'url';
  if (s.format === 'email') return 'email';
  return 'text';
}

function validatorsFor(f: SchemaField): ValidatorFn[] {
  const s = f.schema;
  const v: ValidatorFn[] = [];
  if (f.required && f.kind !== 'boolean') v.push(Validators.required);
  if (s.minLength !== undefined) v.push(Validators.minLength(s.minLength));
  if (s.maxLength !== undefined) v.push(Validators.maxLength(s.maxLength));
  if (s.minimum !== undefined) v.push(Validators.min(s.minimum));
  if (s.maximum !== undefined) v.push(Validators.max(s.maximum));
  if (s.pattern) v.push(Validators.pattern(s.pattern));
  if (f.kind === 'email') v.push(Validators.email);
  if (isUrl(s)) v.push(Validators.pattern(/^https?:\/\/\S+$/));
  if (s.type === 'integer') v.push(Validators.pattern(/^-?\d+$/));
  return v;
}

export function buildForm(fields: SchemaField[]): FormGroup<Record<string, AbstractControl>> {
  const controls: Record<string, AbstractControl> = {};
  for (const f of fields) {
    const initial = f.schema.default ?? (f.kind === 'boolean' ? false : '');
    controls[f.key] = new FormControl(initial, validatorsFor(f));
  }
  return new FormGroup(controls);
}

/** Form value → credential object with the schema's types (numbers as numbers, empty optional fields dropped). */
export function formValue(fields: SchemaField[], raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = raw[f.key];
    if (v === '' || v === null || v === undefined) continue;
    out[f.key] = f.kind === 'number' ? Number(v) : v;
  }
  return out;
}

export function errorText(f: SchemaField, c: AbstractControl | null): string {
  if (!c?.errors) return '';
  if (c.errors['required']) return `${f.label} is required`;
  if (c.errors['minlength']) return `At least ${f.schema.minLength} characters`;
  if (c.errors['maxlength']) return `At most ${f.schema.maxLength} characters`;
  if (c.errors['min']) return `Minimum ${f.schema.minimum}`;
  if (c.errors['max']) return `Maximum ${f.schema.maximum}`;
  if (c.errors['email']) return 'Enter a valid email';
  if (c.errors['pattern']) return isUrl(f.schema) ? 'Enter an http(s) URL' : 'Invalid format';
  return 'Invalid value';
}

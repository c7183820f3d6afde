import { AppError } from '@sx/service-kit';

/** Variables a template may use. `metadata.*` exposes the asset's probed metadata (duration, width, ...). */
export const KNOWN_VARIABLES = ['filename', 'game_context', 'platform', 'title', 'duration', 'width', 'height', 'kind'];
const METADATA_PREFIX = 'metadata.';
const PLACEHOLDER = /\{([a-zA-Z_][a-zA-Z0-9_.]*)\}/g;

/**
 * Placeholders in a template, in order of first use. Literal braces written as JSON in the prompt
 * (`{ "title": ... }`) are not placeholders: only `{identifier}` counts.
 */
export function placeholdersOf(promptText: string): string[] {
  const seen = new Set<string>();
  for (const m of promptText.matchAll(PLACEHOLDER)) seen.add(m[1]);
  return [...seen];
}

export function isKnownVariable(name: string): boolean {
  return KNOWN_VARIABLES.includes(name) || (name.startsWith(METADATA_PREFIX) && name.length > METADATA_PREFIX.length);
}

/** Rejects templates that use variables nothing will ever fill. */
export function assertTemplateValid(promptText: string): string[] {
  if (!promptText.trim()) throw AppError.validation('The prompt text is empty');
  if (promptText.length > 20_000) throw AppError.validation('The prompt text is longer than 20,000 characters');
  const variables = placeholdersOf(promptText);
  const unknown = variables.filter((v) => !isKnownVariable(v));
  if (unknown.length) {
    throw AppError.validation(`Unknown template variables: ${unknown.map((v) => `{${v}}`).join(', ')}`, {
      unknown,
      allowed: [...KNOWN_VARIABLES.map((v) => `{${v}}`), '{metadata.<field>}'],
    });
  }
  return variables;
}

/** Fills placeholders; a variable with no value renders as an empty string and is reported as missing. */
export function renderTemplate(
  promptText: string,
  values: Record<string, string>,
): { prompt: string; missing: string[] } {
  const missing: string[] = [];
  const prompt = promptText.replace(PLACEHOLDER, (whole, name: string) => {
    if (!isKnownVariable(name)) return whole;
    const value = values[name];
    if (value === undefined) {
      missing.push(name);
      return '';
    }
    return value;
  });
  return { prompt, missing: [...new Set(missing)] };
}

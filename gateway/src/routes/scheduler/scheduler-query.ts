const NUMERIC = new Set(['limit', 'hours', 'count']);
const BOOLEAN = new Set(['includeDeleted']);

/**
 * Query strings arrive as text; numeric and boolean keys are converted so the command schema can
 * validate them (a non-number becomes NaN and fails with a coded 422, never a crash).
 */
export function queryToRequest(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string') continue;
    if (NUMERIC.has(key)) out[key] = value.trim() === '' ? Number.NaN : Number(value);
    else if (BOOLEAN.has(key)) out[key] = value === 'true' || value === '1';
    else out[key] = value;
  }
  return out;
}

export function bodyObject(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

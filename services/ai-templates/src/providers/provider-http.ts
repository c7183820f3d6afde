import { providerErrors } from './ai-provider';

/**
 * POSTs JSON to a model API with a hard timeout and maps HTTP failures to coded errors.
 * The API key travels only in headers and never appears in an error message.
 */
export async function postJson(
  provider: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
  } catch (e) {
    if (controller.signal.aborted) throw providerErrors.timeout(provider, timeoutMs);
    throw providerErrors.upstream(provider, 0, (e as Error).message);
  } finally {
    clearTimeout(timer);
  }
  const text = await res.text();
  if (res.status === 429) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw providerErrors.rateLimited(provider, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  if (res.status === 401 || res.status === 403) throw providerErrors.auth(provider);
  if (!res.ok) throw providerErrors.upstream(provider, res.status, errorMessageOf(text));
  try {
    return JSON.parse(text);
  } catch {
    throw providerErrors.badReply(provider, 'the response body is not JSON');
  }
}

function errorMessageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string };
    if (typeof parsed.error === 'string') return parsed.error.slice(0, 300);
    if (parsed.error?.message) return parsed.error.message.slice(0, 300);
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 300) || 'no body';
}

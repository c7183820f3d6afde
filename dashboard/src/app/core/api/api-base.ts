/**
 * Where the API lives. The dashboard may be hosted apart from the gateway: `/config.json` next to
 * index.html (`{ "apiBaseUrl": "https://api.example.com" }`) is read once at startup; without it,
 * or with an empty value, the API is on the dashboard's own origin.
 */
let base = '';

export function setApiBase(url: string | null | undefined): void {
  base = (url ?? '').trim().replace(/\/+$/, '');
}

export function apiBase(): string {
  return base;
}

/** `/api/...` (or any absolute path) → the URL to call, on the configured API origin. */
export function apiUrl(path: string): string {
  if (!base || !path.startsWith('/') || path.startsWith('//')) return path;
  return `${base}${path}`;
}

/** Reads `/config.json`; a missing or unreadable file means "same origin". */
export async function loadRuntimeConfig(fetchFn: typeof fetch = fetch): Promise<void> {
  try {
    const res = await fetchFn('/config.json', { cache: 'no-store' });
    if (!res.ok) return;
    const cfg = (await res.json()) as { apiBaseUrl?: unknown };
    if (typeof cfg.apiBaseUrl === 'string') setApiBase(cfg.apiBaseUrl);
  } catch {
    setApiBase('');
  }
}

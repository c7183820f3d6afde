// The instance's "Authorization required" page (Doorkeeper's authorizations/new in Mastodon): the app's
// name, the scopes it asks for, and Authorize / Deny forms carrying the request's parameters.
const FIELDS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method'];

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function consentPage(appName: string, scope: string, q: URLSearchParams): string {
  const hidden = FIELDS.filter((f) => q.get(f) !== null)
    .map((f) => `<input type="hidden" name="${f}" value="${esc(q.get(f) ?? '')}">`)
    .join('');
  const scopes = scope
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => `<li>${esc(s)}</li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Authorization required</title></head><body>
<main><h1>Authorization required</h1>
<p><strong>${esc(appName)}</strong> would like permission to access your account. It is a third-party application.</p>
<ul>${scopes}</ul>
<form method="post" action="/oauth/authorize">${hidden}<button type="submit">Authorize</button></form>
<form method="post" action="/oauth/authorize">${hidden}<input type="hidden" name="_method" value="delete"><button type="submit">Deny</button></form>
</main></body></html>`;
}

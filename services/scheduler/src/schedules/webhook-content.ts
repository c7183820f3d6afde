/**
 * What a "call webhook" task sends: its payload as the post's settings, and as text the payload's `text`
 * when it has one, else the payload as JSON — never empty, since the webhook plugin requires text
 * (an empty text made every webhook task fail with `text.required`).
 */
export function webhookContent(payload: Record<string, unknown>): { text: string; hashtags: string[]; mediaIds: string[]; settings: Record<string, unknown> } {
  const text = typeof payload['text'] === 'string' && payload['text'].trim() ? payload['text'] : JSON.stringify(payload);
  return { text, hashtags: [], mediaIds: [], settings: payload };
}

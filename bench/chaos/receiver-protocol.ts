/** What the receivers process (receivers-child.ts) records and tells the harness. */
export interface Arrival {
  /** Post number from the `#chaos-<n>` marker in the text. */
  n: number;
  account: string;
  /** Epoch ms, stamped by the receiver on arrival (same machine clock as the harness; never stepped). */
  at: number;
  /** What the receiver answered: 2xx counts as a delivery, 429 is the busy account refusing. */
  status: number;
  key?: string;
}

export interface ReceiversInfo {
  /** Webhook receiver URL per account name ("hook-0" is the busy one). */
  webhooks: { name: string; url: string; busy: boolean }[];
  /** Bluesky contract servers (one connected test account each). */
  bluesky: { name: string; url: string; identifier: string; password: string }[];
  /** GET → Arrival[] (everything recorded so far). */
  controlUrl: string;
}

export const MARKER = /#chaos-(\d+)\b/;
export const marker = (n: number) => `#chaos-${n}`;

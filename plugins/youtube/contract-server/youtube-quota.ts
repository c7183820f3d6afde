// YouTube's quotas (developers.google.com/youtube/v3/determine_quota_cost): videos.insert has its own
// bucket of N calls/day per project (100 in the current docs; older docs: 1,600 of the 10,000 units),
// every other method spends units of 10,000/day; both reset at midnight Pacific Time. Channels also
// have an unpublished daily upload cap (400 uploadLimitExceeded).
import { googleError } from './google-errors';

export interface QuotaKnobs {
  insertsPerDay: number;
  unitsPerDay: number;
  /** Uploads one channel may make per day before uploadLimitExceeded (unpublished by YouTube). */
  uploadsPerChannelPerDay: number;
}

/** The Pacific calendar day of an instant, e.g. "2026-03-01". */
export function pacificDay(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

export class YouTubeQuota {
  private day = '';
  inserts = 0;
  units = 0;
  channelUploads = 0;

  constructor(
    private readonly now: () => number,
    readonly knobs: QuotaKnobs,
  ) {}

  private roll(): void {
    const today = pacificDay(this.now());
    if (today !== this.day) {
      this.day = today;
      this.inserts = 0;
      this.units = 0;
      this.channelUploads = 0;
    }
  }

  spendUnits(cost: number): void {
    this.roll();
    if (this.units + cost > this.knobs.unitsPerDay) throw quotaExceeded();
    this.units += cost;
  }

  spendInsert(): void {
    this.roll();
    if (this.inserts + 1 > this.knobs.insertsPerDay) throw quotaExceeded();
    if (this.channelUploads + 1 > this.knobs.uploadsPerChannelPerDay) {
      throw googleError(400, 'uploadLimitExceeded', 'The user has exceeded the number of videos they may upload.', 'youtube.video');
    }
    this.inserts += 1;
    this.channelUploads += 1;
  }
}

function quotaExceeded() {
  return googleError(
    403,
    'quotaExceeded',
    'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
    'youtube.quota',
  );
}

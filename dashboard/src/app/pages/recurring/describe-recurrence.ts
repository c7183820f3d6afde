import { Recurrence } from '../../core/api/recurrence';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function describeRecurrence(r: Recurrence): string {
  switch (r.type) {
    case 'once':
      return 'Once';
    case 'daily':
      return `Daily at ${r.time}`;
    case 'weekly':
      return `Weekly on ${[...r.weekdays].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => DAYS[d]).join(', ')} at ${r.time}`;
    case 'monthly':
      return `Monthly on day ${r.dayOfMonth} at ${r.time}`;
    case 'custom':
      return `Cron: ${r.cron}`;
  }
}

/** Recurrence as the composer and the recurring-task manager send it (seed 003's types). */
export type Recurrence =
  | { type: 'once' }
  | { type: 'daily'; time: string }
  | { type: 'weekly'; time: string; weekdays: number[] }
  | { type: 'monthly'; time: string; dayOfMonth: number }
  | { type: 'custom'; cron: string };

export type RecurrenceType = Recurrence['type'];

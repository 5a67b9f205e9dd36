import type { CampaignSummary } from '../shared/types.js';

/** One bar of the "new people" chart: its label (a day, an hour, a week's Monday) and count. */
export interface JoinBucket {
  label: string;
  count: number;
}

export interface JoinSeries {
  unit: 'hour' | 'day' | 'week';
  buckets: JoinBucket[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Beyond this many days a bar per day is a hair wide in a 320-unit chart: weeks instead.
const MAX_DAY_BARS = 120;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The bars of the chart, chosen from the span: hours while the campaign is under three days old
 * (one day is otherwise one solid block), days up to four months, weeks beyond. Every bucket
 * between the first and the last is there, empty ones at 0, so the bars keep time.
 */
export function joinSeries(
  summary: Pick<CampaignSummary, 'joinsPerDay' | 'joinsPerHour'>,
): JoinSeries {
  const hours = summary.joinsPerHour;
  if (hours && hours.length > 0) {
    const counts = new Map(hours.map((h) => [h.hour, h.count]));
    const first = Date.parse(`${hours[0]!.hour}:00:00Z`);
    const last = Date.parse(`${hours.at(-1)!.hour}:00:00Z`);
    // Under a day of joins: hours. (Three days of hours is still 72 readable bars.)
    const buckets: JoinBucket[] = [];
    for (let t = first; t <= last; t += HOUR) {
      const key = new Date(t).toISOString().slice(0, 13);
      buckets.push({
        label: `${key.slice(0, 10)} ${key.slice(11)}:00`,
        count: counts.get(key) ?? 0,
      });
    }
    return { unit: 'hour', buckets };
  }
  const days = summary.joinsPerDay;
  if (days.length === 0) return { unit: 'day', buckets: [] };
  const counts = new Map(days.map((d) => [d.date, d.count]));
  const first = Date.parse(`${days[0]!.date}T00:00:00Z`);
  const last = Date.parse(`${days.at(-1)!.date}T00:00:00Z`);
  if ((last - first) / DAY + 1 <= MAX_DAY_BARS) {
    const buckets: JoinBucket[] = [];
    for (let t = first; t <= last; t += DAY)
      buckets.push({ label: dayOf(t), count: counts.get(dayOf(t)) ?? 0 });
    return { unit: 'day', buckets };
  }
  // Weeks start on Monday (ISO 8601), labelled by that Monday's date.
  const monday = (t: number) => t - ((new Date(t).getUTCDay() + 6) % 7) * DAY;
  const buckets: JoinBucket[] = [];
  for (let w = monday(first); w <= last; w += 7 * DAY) {
    let n = 0;
    for (let d = 0; d < 7; d++) n += counts.get(dayOf(w + d * DAY)) ?? 0;
    buckets.push({ label: dayOf(w), count: n });
  }
  return { unit: 'week', buckets };
}

/**
 * Scheduled scaling in the estimate: the task range of a service averaged over the week its
 * scheduled actions (weekly `cron(...)` schedules) describe.
 */
import { blocks, num } from '../model';

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Days of the week (0 = Sunday) a cron day-of-week field names (`*`, `?`, `MON-FRI`, `1,3`, `SAT`). */
function cronDays(field: string): number[] | undefined {
  if (field === '*' || field === '?') return [0, 1, 2, 3, 4, 5, 6];
  const day = (d: string): number | undefined => (/^\d$/.test(d) ? (Number(d) + 6) % 7 : DAYS.indexOf(d.toUpperCase()) >= 0 ? DAYS.indexOf(d.toUpperCase()) : undefined); // AWS: 1 = Sunday
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [a, b] = part.split('-');
    const from = day(a);
    const to = b === undefined ? from : day(b);
    if (from === undefined || to === undefined) return undefined;
    for (let d = from; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === to) break;
    }
  }
  return [...out];
}

/** Minutes of the week (from Sunday 00:00) a `cron(min hour dom month dow year)` schedule fires at; undefined when it is not weekly. */
function cronWeekMinutes(schedule: unknown): number[] | undefined {
  const m = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?\)$/.exec(String(schedule ?? ''));
  if (!m || !/^\d+$/.test(m[1]) || !/^\d+$/.test(m[2]) || !['*', '?'].includes(m[3]) || m[4] !== '*') return undefined;
  const days = cronDays(m[5]);
  return days?.map((d) => d * 1440 + Number(m[2]) * 60 + Number(m[1]));
}

/** A service's capacity averaged over a week of its scheduled actions. */
export interface WeeklyCapacity {
  /** Average minimum task count. */
  readonly min: number;
  /** Average maximum task count. */
  readonly max: number;
  /** Share of the week the range is 0..0 (off hours). */
  readonly stopped: number;
}

/**
 * The task range of a service averaged over the week its scheduled actions describe: each action
 * sets the range (`scalable_target_action`) from the minute it fires until the next one; the
 * week starts with the range the last action of the week before left. Undefined when a schedule
 * is not a weekly cron (`rate(...)`, days of the month): the estimate then prices the target's
 * own range.
 */
export function weeklyCapacity(actions: readonly Record<string, any>[]): WeeklyCapacity | undefined {
  const events: { at: number; min?: number; max?: number }[] = [];
  for (const a of actions) {
    const t = blocks(a.scalable_target_action)[0] ?? a.scalable_target_action ?? {};
    const minutes = cronWeekMinutes(a.schedule);
    if (!minutes) return undefined;
    for (const at of minutes) events.push({ at, min: num(t.min_capacity), max: num(t.max_capacity) });
  }
  if (events.length === 0) return undefined;
  events.sort((x, y) => x.at - y.at);
  // The range at the week's start: what the events of a whole week leave behind.
  let min = 0;
  let max = 0;
  for (const e of events) {
    min = e.min ?? min;
    max = e.max ?? max;
  }
  const week = 7 * 1440;
  let sumMin = 0;
  let sumMax = 0;
  let stopped = 0;
  let from = 0;
  const hold = (until: number) => {
    sumMin += min * (until - from);
    sumMax += max * (until - from);
    if (max === 0) stopped += until - from;
  };
  for (const e of events) {
    hold(e.at);
    min = e.min ?? min;
    max = e.max ?? max;
    from = e.at;
  }
  hold(week);
  return { min: sumMin / week, max: sumMax / week, stopped: stopped / week };
}

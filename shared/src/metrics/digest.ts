import { Temporal } from 'temporal-polyfill';
import type { DigestSettings } from '../schemas/flags.js';

/**
 * The instant of the latest weekly digest due at or before `now`: the chosen ISO weekday at the
 * chosen local time in the manager's zone. A time a DST change skips is taken as the same wall
 * time after the gap; a repeated one as its first occurrence (Temporal's `compatible`).
 * @example lastDigestDue({ weekday: 1, time: '08:00', timeZone: 'Europe/Amsterdam', enabled: true }, now)
 */
export function lastDigestDue(
  s: Pick<DigestSettings, 'weekday' | 'time' | 'timeZone'>,
  now: number,
) {
  const local = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(s.timeZone);
  const time = Temporal.PlainTime.from(s.time);
  let day = local.toPlainDate().subtract({ days: (local.dayOfWeek - s.weekday + 7) % 7 });
  for (;;) {
    const at = day.toZonedDateTime({ timeZone: s.timeZone, plainTime: time }).epochMilliseconds;
    if (at <= now) return at;
    day = day.subtract({ days: 7 });
  }
}

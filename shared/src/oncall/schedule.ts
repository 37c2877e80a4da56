import { Temporal } from 'temporal-polyfill';
import { RRuleTemporal } from 'rrule-temporal';
import { WEEKDAYS } from '../constants.js';
import type { Layer, Restriction, Schedule } from './spec.js';
import { windowOn } from './conditions.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Where an on-call answer comes from: an override, or a layer's rotation. */
export type ShiftSource = { kind: 'override'; id: string } | { kind: 'layer'; id: string };

export interface OnCall {
  userId: string;
  source: ShiftSource;
}

/** A stretch of the final schedule in which one person is on call, [start, end) in ms. */
export interface Shift extends OnCall {
  start: number;
  end: number;
}

/**
 * A layer compiled for queries. The handoff recurrence comes from an RRULE (rrule-temporal).
 * Day-based turns enumerate handoff *dates* (the rule runs in UTC, where no day is skipped) and
 * the handoff time is placed on each date in the layer's zone by Temporal: RFC 5545 drops an
 * occurrence whose local time does not exist (02:30 on a spring-forward day), which for a rota
 * would silently give one person two turns; here that handoff happens at 03:30, the same reading
 * of skipped times as the business calendars. Hour-based turns recur on the instant timeline.
 */
class CompiledLayer {
  readonly zone: string;
  private readonly startAt: number;
  private readonly endAt: number;
  private readonly startDate: Temporal.PlainDate;
  private readonly handoff: Temporal.PlainTime;
  private readonly turnDays: number;
  private readonly turnHours: number;
  private readonly rule: RRuleTemporal;

  constructor(
    readonly layer: Layer,
    scheduleZone: string,
  ) {
    this.zone = layer.timeZone ?? scheduleZone;
    const start = Temporal.PlainDateTime.from(layer.start);
    this.startDate = start.toPlainDate();
    this.handoff = start.toPlainTime();
    const t = layer.turn;
    this.turnDays = t === 'daily' ? 1 : t === 'weekly' ? 7 : 'days' in t ? t.days : 0;
    this.turnHours = typeof t === 'object' && 'hours' in t ? t.hours : 0;
    const zoned = start.toZonedDateTime(this.zone);
    this.startAt = zoned.epochMilliseconds;
    this.endAt = layer.end
      ? Temporal.PlainDateTime.from(layer.end).toZonedDateTime(this.zone).epochMilliseconds
      : Infinity;
    this.rule = this.turnDays
      ? new RRuleTemporal({
          freq: 'DAILY',
          interval: this.turnDays,
          tzid: 'UTC',
          dtstart: this.startDate.toZonedDateTime({ timeZone: 'UTC' }),
        })
      : new RRuleTemporal({
          freq: 'HOURLY',
          interval: this.turnHours,
          tzid: this.zone,
          dtstart: zoned,
        });
  }

  private handoffOn(date: Temporal.PlainDate): number {
    // Temporal's default ('compatible'): a skipped wall time moves forward by the gap, a repeated
    // one is taken at its first occurrence.
    return date.toZonedDateTime({ timeZone: this.zone, plainTime: this.handoff }).epochMilliseconds;
  }

  private utcDay(ms: number): Temporal.ZonedDateTime {
    const d = Temporal.Instant.fromEpochMilliseconds(ms)
      .toZonedDateTimeISO(this.zone)
      .toPlainDate();
    return d.toZonedDateTime({ timeZone: 'UTC' });
  }

  /** The turn holding instant t: its index from the first turn and its bounds; null before the start. */
  turnAt(t: number): { index: number; start: number; end: number } | null {
    if (t < this.startAt || t >= this.endAt) return null;
    if (this.turnHours) {
      const at = Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(this.zone);
      const prev = this.rule.previous(at, true)!;
      const start = prev.epochMilliseconds;
      return {
        index: Math.round((start - this.startAt) / (this.turnHours * HOUR)),
        start,
        end: Math.min(start + this.turnHours * HOUR, this.endAt),
      };
    }
    let day = this.rule.previous(this.utcDay(t), true)!;
    if (this.handoffOn(day.toPlainDate()) > t) day = this.rule.previous(day, false)!;
    const next = this.rule.next(day, false)!;
    const date = day.toPlainDate();
    return {
      index: Math.round(this.startDate.until(date).days / this.turnDays),
      start: Math.max(this.handoffOn(date), this.startAt),
      end: Math.min(this.handoffOn(next.toPlainDate()), this.endAt),
    };
  }

  /** Whether t lies in one of the layer's restriction windows (always, without restrictions). */
  allows(t: number): boolean {
    const rs = this.layer.restrictions;
    if (rs.length === 0) return true;
    const today = Temporal.Instant.fromEpochMilliseconds(t)
      .toZonedDateTimeISO(this.zone)
      .toPlainDate();
    // A night window that started yesterday may still be open.
    for (const day of [today, today.subtract({ days: 1 })]) {
      for (const r of rs) {
        const [s, e] = this.window(day, r);
        if (r.days.includes(WEEKDAYS[day.dayOfWeek - 1]!) && s <= t && t < e) return true;
      }
    }
    return false;
  }

  private window(day: Temporal.PlainDate, r: Restriction): [number, number] {
    return windowOn(this.zone, day, r);
  }

  /** Who this layer has on call at t, or null (before it starts, after it ends, outside its windows). */
  at(t: number): string | null {
    const turn = this.turnAt(t);
    if (!turn || !this.allows(t)) return null;
    const ps = this.layer.participants;
    return ps[turn.index % ps.length]!;
  }

  /** Every instant in [from, to) at which this layer's answer may change. */
  boundaries(from: number, to: number): number[] {
    const out: number[] = [];
    if (from <= this.startAt && this.startAt < to) out.push(this.startAt);
    if (from <= this.endAt && this.endAt < to) out.push(this.endAt);
    for (let t = Math.max(from, this.startAt); t < Math.min(to, this.endAt);) {
      const turn = this.turnAt(t);
      if (!turn) break;
      if (turn.start >= from) out.push(turn.start);
      t = turn.end;
    }
    if (this.layer.restrictions.length) {
      const zdt = (ms: number) =>
        Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(this.zone).toPlainDate();
      const last = zdt(to);
      for (let d = zdt(from).subtract({ days: 1 }); Temporal.PlainDate.compare(d, last) <= 0;) {
        for (const r of this.layer.restrictions) {
          if (!r.days.includes(WEEKDAYS[d.dayOfWeek - 1]!)) continue;
          for (const b of this.window(d, r)) if (from <= b && b < to) out.push(b);
        }
        d = d.add({ days: 1 });
      }
    }
    return out;
  }
}

/** A schedule compiled once for many queries. */
export class OnCallSchedule {
  private readonly layers: CompiledLayer[];

  constructor(readonly schedule: Schedule) {
    this.layers = schedule.layers.map((l) => new CompiledLayer(l, schedule.timeZone));
  }

  /**
   * Who is on call at instant t: the last override covering t, else the lowest layer with
   * someone on call at t; null when nobody is.
   * @example new OnCallSchedule(spec).at(Date.parse('2026-03-08T12:00Z')) // { userId: 'ana', source: { kind: 'layer', id: 'primary' } }
   */
  at(t: number): OnCall | null {
    const overrides = this.schedule.overrides;
    for (let i = overrides.length - 1; i >= 0; i--) {
      const o = overrides[i]!;
      if (o.start <= t && t < o.end)
        return { userId: o.userId, source: { kind: 'override', id: o.id } };
    }
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const userId = this.layers[i]!.at(t);
      if (userId !== null)
        return { userId, source: { kind: 'layer', id: this.layers[i]!.layer.id } };
    }
    return null;
  }

  /**
   * The first instant after `t` at which the answer of `at` may change (a handoff, a window
   * edge, an override edge, a layer's start or end), looking at most `horizon` ms ahead: the
   * answer at `t` holds until then. It may come before a real change (a handoff to the same
   * person), never after one.
   */
  nextChange(t: number, horizon = 35 * DAY): number {
    let next = t + horizon;
    for (const o of this.schedule.overrides) {
      if (o.start > t && o.start < next) next = o.start;
      if (o.end > t && o.end < next) next = o.end;
    }
    // Most layers change within a day: look that far first, the whole horizon only if not.
    for (const reach of [DAY, horizon]) {
      const to = Math.min(next, t + reach);
      for (const l of this.layers) for (const b of l.boundaries(t + 1, to)) if (b < next) next = b;
      if (next < t + reach) break;
    }
    return next;
  }

  /**
   * The final schedule from `from` to `to`: who is on call when, with the first shift clipped to
   * `from`; a shift runs on while the same person is on call from the same source.
   */
  shifts(from: number, to: number): Shift[] {
    const points = new Set<number>([from]);
    for (const l of this.layers) for (const b of l.boundaries(from, to)) points.add(b);
    for (const o of this.schedule.overrides) {
      if (from <= o.start && o.start < to) points.add(o.start);
      if (from <= o.end && o.end < to) points.add(o.end);
    }
    const sorted = [...points].sort((a, b) => a - b);
    const out: Shift[] = [];
    for (let i = 0; i < sorted.length; i++) {
      const start = sorted[i]!;
      const end = sorted[i + 1] ?? to;
      const who = this.at(start);
      const prev = out[out.length - 1];
      if (!who) continue;
      if (prev && prev.end === start && sameOnCall(prev, who)) prev.end = end;
      else out.push({ ...who, start, end });
    }
    return out;
  }
}

function sameOnCall(a: OnCall, b: OnCall): boolean {
  return a.userId === b.userId && a.source.kind === b.source.kind && a.source.id === b.source.id;
}

/**
 * Who is on call in `schedule` at instant `at` (ms), or null.
 * @example whoIsOnCall(schedule, Date.parse('2026-03-08T12:00Z'))?.userId // 'ana'
 */
export function whoIsOnCall(schedule: Schedule, at: number): OnCall | null {
  return new OnCallSchedule(schedule).at(at);
}

/**
 * The next shifts from `from` (the current one first, clipped to `from`), of one person when
 * `userId` is given, looking `horizonDays` ahead.
 * @example nextShifts(schedule, now, { userId: 'ana', limit: 5 })
 */
export function nextShifts(
  schedule: Schedule | OnCallSchedule,
  from: number,
  opts: { userId?: string; limit?: number; horizonDays?: number } = {},
): Shift[] {
  const compiled = schedule instanceof OnCallSchedule ? schedule : new OnCallSchedule(schedule);
  const all = compiled.shifts(from, from + (opts.horizonDays ?? 28) * DAY);
  const mine = opts.userId ? all.filter((s) => s.userId === opts.userId) : all;
  return mine.slice(0, opts.limit ?? 20);
}

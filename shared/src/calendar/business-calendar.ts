import { Temporal } from 'temporal-polyfill';
import type { Calendar } from '../sla/calendar.js';
import { WEEKDAYS } from '../constants.js';
import type { Interval, ParsedCalendarSpec } from './spec.js';

const CHUNK_DAYS = 92;
/** How far `addBusiness` searches from its start; a calendar with no opening in ten years is broken. */
const HORIZON_DAYS = 3660;
/** Cover kept beyond what one query needs before a far request starts a fresh cover. */
const MAX_COVER_DAYS = 2 * 366;

export type ClosedReason = 'outside_hours' | 'holiday';

/**
 * A business calendar compiled to sorted open intervals on the instant timeline, with running
 * totals, so that `businessBetween` and `addBusiness` are binary searches. Intervals are made
 * from wall-clock times in the calendar's zone with Temporal, a stretch of days at a time, as
 * queries need them. All arithmetic is on instants, so DST changes shorten or lengthen the
 * intervals they fall in, never shift them.
 */
export class BusinessCalendar implements Calendar {
  readonly id: string;
  readonly spec: ParsedCalendarSpec;
  readonly is24x7: boolean;
  private readonly holidayDates = new Set<string>();
  private readonly yearly = new Set<string>();
  private first: Temporal.PlainDate | null = null; // first covered local day
  private last: Temporal.PlainDate | null = null; // last covered local day (inclusive)
  private coverStart = 0;
  private coverEnd = 0;
  private starts: number[] = [];
  private ends: number[] = [];
  /** cum[i]: business ms from coverStart up to starts[i]; cum[n]: the covered total. */
  private cum: number[] = [0];

  /** Takes a validated spec (see `businessCalendar`, which validates): pages get it from the server. */
  constructor(spec: ParsedCalendarSpec, id?: string) {
    this.spec = spec;
    this.id = id ?? `cal:${this.spec.name}`;
    this.is24x7 = this.spec.hours === '24x7' && this.spec.holidays.length === 0;
    for (const h of this.spec.holidays) {
      if ('date' in h) this.holidayDates.add(h.date);
      else if ('yearly' in h) this.yearly.add(h.yearly);
      else {
        for (
          let d = Temporal.PlainDate.from(h.from), to = Temporal.PlainDate.from(h.to);
          Temporal.PlainDate.compare(d, to) <= 0;
          d = d.add({ days: 1 })
        ) {
          this.holidayDates.add(d.toString());
        }
      }
    }
  }

  /** Whether the local date is a holiday of this calendar. */
  isHoliday(d: Temporal.PlainDate): boolean {
    const iso = d.toString();
    const md = iso.slice(5);
    return this.holidayDates.has(iso) || this.yearly.has(md);
  }

  private startOfDay(d: Temporal.PlainDate): number {
    return d.toZonedDateTime({ timeZone: this.spec.timeZone }).epochMilliseconds;
  }

  private at(d: Temporal.PlainDate, hhmm: string): number {
    if (hhmm === '24:00') return this.startOfDay(d.add({ days: 1 }));
    // 'compatible': a wall time skipped by a spring-forward is moved forward by the gap's length,
    // a repeated one (fall-back) from its first occurrence.
    return d.toZonedDateTime({
      timeZone: this.spec.timeZone,
      plainTime: Temporal.PlainTime.from(hhmm),
    }).epochMilliseconds;
  }

  private dayIntervals(d: Temporal.PlainDate): Interval[] {
    if (this.spec.hours === '24x7') return [{ start: '00:00', end: '24:00' }];
    return this.spec.hours[WEEKDAYS[d.dayOfWeek - 1]!] ?? [];
  }

  /** Open intervals of local days first..last (inclusive), clipped to those days, holidays removed. */
  private build(first: Temporal.PlainDate, last: Temporal.PlainDate) {
    const lo = this.startOfDay(first);
    const hi = this.startOfDay(last.add({ days: 1 }));
    const raw: [number, number][] = [];
    // Start a day early: an overnight interval of the day before spills into `first`.
    for (
      let d = first.subtract({ days: 1 });
      Temporal.PlainDate.compare(d, last) <= 0;
      d = d.add({ days: 1 })
    ) {
      for (const i of this.dayIntervals(d)) {
        const s = this.at(d, i.start);
        const crosses = i.end !== '24:00' && i.end <= i.start;
        const e = crosses ? this.at(d.add({ days: 1 }), i.end) : this.at(d, i.end);
        if (e > s) raw.push([s, e]);
      }
    }
    raw.sort((a, b) => a[0] - b[0]);
    // Holidays close whole local days, whichever interval the time belongs to.
    const closed: [number, number][] = [];
    for (let d = first; Temporal.PlainDate.compare(d, last) <= 0; d = d.add({ days: 1 })) {
      if (this.isHoliday(d)) closed.push([this.startOfDay(d), this.startOfDay(d.add({ days: 1 }))]);
    }
    const starts: number[] = [];
    const ends: number[] = [];
    const push = (s: number, e: number) => {
      if (e <= s) return;
      const n = ends.length;
      if (n > 0 && s <= ends[n - 1]!) ends[n - 1] = Math.max(ends[n - 1]!, e);
      else {
        starts.push(s);
        ends.push(e);
      }
    };
    for (const [s0, e0] of raw) {
      let pieces: [number, number][] = [[Math.max(s0, lo), Math.min(e0, hi)]];
      for (const [cs, ce] of closed) {
        pieces = pieces.flatMap(([s, e]) =>
          ce <= s || cs >= e
            ? [[s, e] as [number, number]]
            : [[s, Math.min(e, cs)] as [number, number], [Math.max(s, ce), e] as [number, number]],
        );
      }
      for (const [s, e] of pieces) push(s, e);
    }
    const cum = [0];
    for (let i = 0; i < starts.length; i++) cum.push(cum[i]! + ends[i]! - starts[i]!);
    this.first = first;
    this.last = last;
    this.coverStart = lo;
    this.coverEnd = hi;
    this.starts = starts;
    this.ends = ends;
    this.cum = cum;
  }

  private dateOf(t: number): Temporal.PlainDate {
    return Temporal.Instant.fromEpochMilliseconds(t)
      .toZonedDateTimeISO(this.spec.timeZone)
      .toPlainDate();
  }

  /**
   * Makes sure the compiled intervals cover instants `from` to `to`. Coverage grows in chunks
   * around what was asked before; a request far from it starts a fresh cover, so a calendar asked
   * about one decade can still answer about another.
   */
  private ensure(from: number, to = from) {
    if (this.first && from >= this.coverStart && to < this.coverEnd) return;
    const a = this.dateOf(from);
    const b = this.dateOf(to);
    let first = this.first ?? a.subtract({ days: 1 });
    let last = this.last ?? b.add({ days: CHUNK_DAYS });
    while (Temporal.PlainDate.compare(a, first) <= 0) first = first.subtract({ days: CHUNK_DAYS });
    while (Temporal.PlainDate.compare(b, last) >= 0) last = last.add({ days: CHUNK_DAYS });
    if (last.since(first).days > MAX_COVER_DAYS + b.since(a).days) {
      first = a.subtract({ days: 1 });
      last = b.add({ days: CHUNK_DAYS });
    }
    this.build(first, last);
  }

  private extendForward() {
    this.build(this.first!, this.last!.add({ days: CHUNK_DAYS }));
  }

  /** Index of the last interval starting at or before t, or -1. */
  private indexAt(t: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  private cumAt(t: number): number {
    const i = this.indexAt(t);
    if (i < 0) return 0;
    return this.cum[i]! + Math.min(t, this.ends[i]!) - this.starts[i]!;
  }

  /** Extends the cover forward until its business total exceeds `total`, within the horizon of `from`. */
  private coverBeyond(total: number, from: number, ms: number) {
    const horizon = this.dateOf(from).add({ days: HORIZON_DAYS });
    while (this.cum[this.cum.length - 1]! <= total) {
      if (Temporal.PlainDate.compare(this.last!, horizon) > 0) {
        const found = this.cum[this.cum.length - 1]! - this.cumAt(from);
        const start = new Date(from).toISOString();
        throw new RangeError(
          found === 0
            ? `${this.id}: no business time within ten years of ${start}`
            : `${this.id}: ${ms / 60_000} min of business time does not fit within ten years of ${start}; this calendar opens ${Math.round(found / 60_000)} min in that time`,
        );
      }
      this.extendForward();
    }
  }

  businessBetween(from: number, to: number): number {
    if (to <= from) return 0;
    if (this.is24x7) return to - from;
    this.ensure(from, to);
    return this.cumAt(to) - this.cumAt(from);
  }

  /**
   * The due instant of `ms` of business time from `start`: the instant after which business time
   * since `start` exceeds `ms`. A budget that runs out exactly at a closing time is due at the next
   * opening (nothing more has elapsed in between), so the result is always open, never in a closed
   * period or on its edge; adding 0 to a closed instant gives the next opening.
   */
  addBusiness(start: number, ms: number): number {
    if (this.is24x7) return start + Math.max(0, ms);
    this.ensure(start);
    const target = this.cumAt(start) + Math.max(0, ms);
    this.coverBeyond(target, start, ms);
    // The first interval whose running total passes the target: it holds the due instant.
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cum[mid + 1]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.starts[lo]! + (target - this.cum[lo]!);
  }

  isOpen(t: number): boolean {
    if (this.is24x7) return true;
    this.ensure(t);
    const i = this.indexAt(t);
    return i >= 0 && t < this.ends[i]!;
  }

  nextOpening(t: number): number {
    return this.addBusiness(t, 0);
  }

  /** The open intervals overlapping [from, to), clipped to it. */
  openIntervals(from: number, to: number): [number, number][] {
    if (to <= from) return [];
    if (this.is24x7) return [[from, to]];
    this.ensure(from, to);
    const out: [number, number][] = [];
    for (
      let i = Math.max(0, this.indexAt(from));
      i < this.starts.length && this.starts[i]! < to;
      i++
    ) {
      const s = Math.max(from, this.starts[i]!);
      const e = Math.min(to, this.ends[i]!);
      if (e > s) out.push([s, e]);
    }
    return out;
  }

  /** Why instant t is closed (only meaningful when it is). */
  closedReason(t: number): ClosedReason {
    return this.isHoliday(this.dateOf(t)) ? 'holiday' : 'outside_hours';
  }
}

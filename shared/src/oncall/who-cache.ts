import type { OnCallSchedule, OnCall } from './schedule.js';

const DAY = 86_400_000;
/** How far ahead a cached answer looks for its end; a spell longer than this is re-read then. */
export const WHO_HORIZON_MS = 35 * DAY;

/** Who is on call from `from` until `until` (the next handoff, window edge or override edge, or sooner). */
export interface OnCallSpell {
  who: OnCall | null;
  from: number;
  until: number;
}

/**
 * The answer at `t` and how long it holds: the final schedule only changes at its boundaries,
 * so the answer is good until the next one.
 * @example spellAt(new OnCallSchedule(spec), Date.parse('2026-03-08T12:00Z')) // { who: { userId: 'ana', ... }, from, until: next handoff }
 */
export function spellAt(compiled: OnCallSchedule, t: number): OnCallSpell {
  return { who: compiled.at(t), from: t, until: compiled.nextChange(t, WHO_HORIZON_MS) };
}

interface Entry {
  version: string;
  compiled: OnCallSchedule;
  spell: OnCallSpell;
}

/**
 * "Who is on call" per schedule, kept until the schedule's next handoff or until its version
 * (edits and overrides) changes. Pure: the caller passes the instant, the version and a loader.
 */
export class WhoCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * Who is on call on schedule `id` at `t`; `load` runs only when the cached schedule is of
   * another version. Asking about an instant before the cached spell recomputes it.
   */
  at(id: string, version: string, t: number, load: () => OnCallSchedule): OnCallSpell {
    let e = this.entries.get(id);
    if (!e || e.version !== version) {
      const compiled = load();
      e = { version, compiled, spell: spellAt(compiled, t) };
      this.entries.set(id, e);
    } else if (t < e.spell.from || t >= e.spell.until) e.spell = spellAt(e.compiled, t);
    return e.spell;
  }

  /** The compiled schedule of a version already seen, for other queries (next shifts). */
  compiled(id: string, version: string): OnCallSchedule | null {
    const e = this.entries.get(id);
    return e && e.version === version ? e.compiled : null;
  }

  forget(id: string) {
    this.entries.delete(id);
  }

  get size() {
    return this.entries.size;
  }
}

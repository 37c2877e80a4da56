import type { Client, InValue } from '@libsql/client';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import {
  OnCallSchedule,
  WHO_HORIZON_MS,
  localMinuteText,
  type scheduleInput,
  type Shift,
  type shiftChangeInput,
  type ShiftReminderInput,
  type ShiftSpan,
} from '@deskwatch/shared';
import { newId, randomToken, sha256 } from '../crypto.js';
import type { Db } from '../db/client.js';
import { oncallFeeds, oncallOverrides, shiftReminders, users } from '../db/schema.js';
import type { Caller } from './accounts.js';
import { OnCallError, type OnCallService } from './oncall.js';
import type { Push } from './push.js';

type Stmt = { sql: string; args: InValue[] };

const MIN = 60_000;
const DAY = 86_400_000;
/** A shift's person gets a push this long before it starts, unless they chose another lead. */
export const SHIFT_REMINDER_LEAD_MS = 60 * MIN;
/** The longest lead a person may choose (`shiftReminderInput`). */
const MAX_REMINDER_LEAD_MS = DAY;
/** How far ahead a change is looked at to tell whose shifts it touches. */
export const CHANGE_HORIZON_MS = 28 * DAY;
/** Reminders and device checks run at most this often (hours matter, not seconds). */
export const SHIFT_TICK_MS = MIN;

/** A device as its owner and managers see it. */
export interface DeviceStatus {
  id: string;
  userId: string;
  userName: string;
  /** Only the push service's host: the endpoint's path is the device's secret. */
  host: string;
  createdAt: number;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  /** The last failure's category (`expired`, `unreachable`, `rejected`, ...). */
  lastError: string | null;
  retiredAt: number | null;
  /** retired: dropped by the browser; failing: its last push failed; untested: none sent yet. */
  status: 'working' | 'failing' | 'retired' | 'untested';
}

/** The SQL test for a device that receives pushes: live, and not failing since its last success. */
const WORKING = `s.retired_at IS NULL AND (s.last_failure_at IS NULL OR (s.last_success_at IS NOT NULL AND s.last_success_at >= s.last_failure_at))`;

const local = localMinuteText;

/** Where a shift's notification opens: the schedule's screen, with the person's shifts. */
export const shiftScreen = (scheduleId: string) => `/oncall/schedules/${scheduleId}`;

/**
 * Shifts seen from the people in them (issue #19): schedule edits and overrides (take, cover,
 * swap) with a push to everyone whose shifts they change, a push before each shift, a calendar
 * feed per person, device status, and a push to managers when whoever is on call has no
 * working device. Who is on call is cached per schedule until its next handoff or change.
 */
export function createShifts(
  db: Db,
  client: Client,
  now: () => number,
  oncall: OnCallService,
  push: Push,
) {
  let lastTick = -Infinity;
  // Who is on call comes from the on-call service's cache, shared with paging and the list.
  const versions = (workspaceId: string | null) => oncall.versions(workspaceId);
  const compiledNow = oncall.cachedAt;

  async function names(workspaceId: string) {
    const rows = await db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(eq(users.workspaceId, workspaceId));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async function requireSchedule(caller: Caller, id: string) {
    const s = await oncall.loadSchedule(caller.workspaceId, id);
    if (!s) throw new OnCallError('NOT_FOUND', 'No such schedule');
    return s;
  }

  async function requireActive(workspaceId: string, userId: string) {
    const u = await db.query.users.findFirst({
      where: and(eq(users.id, userId), eq(users.workspaceId, workspaceId)),
    });
    if (!u || u.deactivatedAt !== null)
      throw new OnCallError('BAD_REQUEST', 'That person is not an active member of your workspace');
  }

  /** The one person on call throughout `span`, or an error naming the problem. */
  function soleOnCall(compiled: OnCallSchedule, span: ShiftSpan, which: string): string {
    const shifts = compiled.shifts(span.start, span.end);
    const people = new Set(shifts.map((s) => s.userId));
    const covered = shifts.reduce((n, s) => n + (s.end - s.start), 0) === span.end - span.start;
    if (people.size !== 1 || !covered)
      throw new OnCallError('BAD_REQUEST', `${which} must be one person's time on call`);
    return [...people][0]!;
  }

  /** A statement queueing `payload` for every live device of `userId`, once per source id. */
  function toUser(
    workspaceId: string,
    userId: string,
    kind: 'shift',
    sourceId: string,
    payload: object,
    t: number,
  ): Stmt {
    return {
      sql: `INSERT OR IGNORE INTO push_outbox (id, workspace_id, subscription_id, user_id, kind, source_id, payload_json, state, attempts, next_at, created_at)
            SELECT lower(hex(randomblob(12))), s.workspace_id, s.id, s.user_id, ?, ?, ?, 'pending', 0, ?, ?
            FROM push_subscriptions s WHERE s.workspace_id = ? AND s.user_id = ? AND s.retired_at IS NULL`,
      args: [kind, sourceId, JSON.stringify(payload), t, t, workspaceId, userId],
    };
  }

  /**
   * A push to each person whose shifts in the next four weeks differ between `before` and
   * `after`, once per change (the change's id is in the source id).
   */
  function changeNotices(
    workspaceId: string,
    schedule: { id: string; name: string; timeZone: string },
    before: Shift[],
    after: Shift[],
    changeId: string,
    t: number,
  ): Stmt[] {
    const key = (shifts: Shift[], u: string) =>
      shifts
        .filter((s) => s.userId === u)
        .map((s) => `${s.start}-${s.end}`)
        .join();
    const people = new Set([...before, ...after].map((s) => s.userId));
    const out: Stmt[] = [];
    for (const u of people) {
      if (key(before, u) === key(after, u)) continue;
      const next = after.find((s) => s.userId === u);
      out.push(
        toUser(
          workspaceId,
          u,
          'shift',
          `change:${changeId}:${u}`,
          {
            kind: 'shift',
            title: `On-call change: ${schedule.name}`,
            body: next
              ? `Your shifts changed. Next: ${local(next.start, schedule.timeZone)} to ${local(next.end, schedule.timeZone)} (${schedule.timeZone}).`
              : 'Your shifts changed: you have no shift in the next four weeks.',
            url: shiftScreen(schedule.id),
          },
          t,
        ),
      );
    }
    return out;
  }

  const horizon = (c: OnCallSchedule, t: number) => c.shifts(t, t + CHANGE_HORIZON_MS);

  /** Writes overrides (and removals) and the pushes they cause in one batch. */
  async function applyOverrides(
    caller: Caller,
    s: NonNullable<Awaited<ReturnType<OnCallService['loadSchedule']>>>,
    add: { userId: string; span: ShiftSpan }[],
    removeIds: string[] = [],
  ) {
    const t = now();
    const rows = add.map((a) => ({ id: newId(), ...a }));
    const current = s.compiled.schedule;
    const next = new OnCallSchedule({
      ...current,
      overrides: [
        ...current.overrides.filter((o) => !removeIds.includes(o.id)),
        ...rows.map((r) => ({ id: r.id, userId: r.userId, start: r.span.start, end: r.span.end })),
      ],
    });
    const changeId = newId();
    const stmts: Stmt[] = [
      ...removeIds.map((id) => ({
        sql: 'DELETE FROM oncall_overrides WHERE id = ? AND workspace_id = ?',
        args: [id, caller.workspaceId],
      })),
      ...rows.map((r) => ({
        sql: `INSERT INTO oncall_overrides (id, workspace_id, schedule_id, user_id, start_at, end_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          r.id,
          caller.workspaceId,
          s.row.id,
          r.userId,
          r.span.start,
          r.span.end,
          caller.userId,
          t,
        ],
      })),
      // Every change moves the schedule's version on, so each instance's cache reloads it.
      {
        sql: 'UPDATE oncall_schedules SET updated_at = max(updated_at + 1, ?) WHERE id = ?',
        args: [t, s.row.id],
      },
      ...changeNotices(
        caller.workspaceId,
        { id: s.row.id, name: s.row.name, timeZone: s.spec.timeZone },
        horizon(s.compiled, t),
        horizon(next, t),
        changeId,
        t,
      ),
    ];
    await push.writeAndKick(stmts, t);
    return { overrideIds: rows.map((r) => r.id) };
  }

  async function workingDevices(userId: string) {
    const rs = await client.execute({
      sql: `SELECT count(*) FROM push_subscriptions s WHERE s.user_id = ? AND ${WORKING}`,
      args: [userId],
    });
    return Number(rs.rows[0]![0]);
  }

  /** Statements for the pushes due at `t`: shift reminders and on-call-without-a-device notices. */
  async function dueStatements(t: number): Promise<Stmt[]> {
    const stmts: Stmt[] = [];
    // Each person's own lead (a small table: read whole, once per pass).
    const leads = new Map(
      (await db.select().from(shiftReminders)).map((r) => [r.userId, r.leadMinutes * MIN]),
    );
    const leadOf = (userId: string) => leads.get(userId) ?? SHIFT_REMINDER_LEAD_MS;
    for (const v of await versions(null)) {
      const got = await compiledNow(v.workspaceId, v.id, v.version, t);
      if (!got) continue;
      const zone = got.compiled.schedule.timeZone;
      // Shifts starting within the longest lead; the clipped first one (start t - 1) has begun.
      const soon = got.compiled.shifts(t - 1, t + MAX_REMINDER_LEAD_MS + 1);
      for (let i = 0; i < soon.length; i++) {
        const s = soon[i]!;
        const lead = leadOf(s.userId);
        if (
          s.start < t ||
          lead === 0 ||
          s.start > t + lead ||
          (i > 0 && soon[i - 1]!.end === s.start && soon[i - 1]!.userId === s.userId)
        )
          continue;
        stmts.push(
          toUser(
            v.workspaceId,
            s.userId,
            'shift',
            `remind:${v.id}:${s.userId}:${s.start}`,
            {
              kind: 'shift',
              title: `On call soon: ${v.name}`,
              body: `Your shift starts ${local(s.start, zone)} and ends ${local(s.end, zone)} (${zone}).`,
              url: shiftScreen(v.id),
            },
            t,
          ),
        );
      }
      const onCall = got.spell.who?.userId;
      if (onCall && (await workingDevices(onCall)) === 0) {
        const name = (await names(v.workspaceId)).get(onCall) ?? 'Someone';
        // The cached answer may expire early (a handoff to the same person): the spell's real end.
        const until = got.compiled.shifts(t, t + WHO_HORIZON_MS)[0]?.end ?? got.spell.until;
        // Once per spell: the spell's end names it.
        stmts.push(
          push.enqueueForManagers({
            workspaceId: v.workspaceId,
            kind: 'device',
            sourceId: `nodevice:${v.id}:${onCall}:${until}`,
            payload: {
              kind: 'device',
              title: `${name} is on call without a working device`,
              body: `${name} is on call on ${v.name} until ${local(until, zone)} (${zone}), but no device of theirs receives notifications.`,
              url: '/oncall',
            },
            t,
          }),
        );
      }
    }
    return stmts;
  }

  return {
    /** The caller's reminder lead before each of their shifts, in minutes (0: none). */
    async myReminder(caller: Caller): Promise<ShiftReminderInput> {
      const row = await db.query.shiftReminders.findFirst({
        where: eq(shiftReminders.userId, caller.userId),
      });
      return { leadMinutes: row ? row.leadMinutes : SHIFT_REMINDER_LEAD_MS / MIN };
    },

    /** Sets the caller's own reminder lead; a reminder already sent for a shift is not sent again. */
    async saveReminder(caller: Caller, input: ShiftReminderInput) {
      const values = {
        workspaceId: caller.workspaceId,
        leadMinutes: input.leadMinutes,
        updatedAt: now(),
      };
      await db
        .insert(shiftReminders)
        .values({ userId: caller.userId, ...values })
        .onConflictDoUpdate({ target: shiftReminders.userId, set: values });
      return { leadMinutes: input.leadMinutes };
    },

    /** Who is on call on a schedule at `t` and until when, from the cache while it holds. */
    async whoIsOnCall(workspaceId: string, scheduleId: string, t = now()) {
      const v = (await versions(workspaceId)).find((x) => x.id === scheduleId);
      if (!v) return null;
      return (await compiledNow(workspaceId, scheduleId, v.version, t))?.spell ?? null;
    },

    /** The active people of the workspace, for participants and covers. */
    async people(workspaceId: string) {
      return db
        .select({ userId: users.id, name: users.name, role: users.role })
        .from(users)
        .where(and(eq(users.workspaceId, workspaceId), isNull(users.deactivatedAt)))
        .orderBy(asc(users.name));
    },

    /** One schedule for its editor: zone, layers, the overrides still to come, the next two weeks. */
    async schedule(caller: Caller, id: string, t = now()) {
      const s = await requireSchedule(caller, id);
      const n = await names(caller.workspaceId);
      const overrides = await db
        .select()
        .from(oncallOverrides)
        .where(and(eq(oncallOverrides.scheduleId, id), gt(oncallOverrides.endAt, t)))
        .orderBy(asc(oncallOverrides.startAt));
      return {
        id,
        name: s.row.name,
        timeZone: s.spec.timeZone,
        layers: s.spec.layers,
        overrides: overrides.map((o) => ({
          id: o.id,
          userId: o.userId,
          userName: n.get(o.userId) ?? 'Unknown',
          start: o.startAt,
          end: o.endAt,
          createdBy: n.get(o.createdBy) ?? 'Unknown',
        })),
        shifts: s.compiled.shifts(t, t + 14 * DAY).map((x) => ({
          userId: x.userId,
          userName: n.get(x.userId) ?? 'Unknown',
          start: x.start,
          end: x.end,
          overrideId: x.source.kind === 'override' ? x.source.id : null,
          mine: x.userId === caller.userId,
        })),
      };
    },

    /** Saves a schedule (a manager) and pushes to everyone whose shifts the edit changes. */
    async saveSchedule(caller: Caller, input: z.output<typeof scheduleInput>) {
      const t = now();
      const before = input.id ? await oncall.loadSchedule(caller.workspaceId, input.id) : null;
      const { id } = await oncall.saveSchedule(caller, input);
      const after = (await oncall.loadSchedule(caller.workspaceId, id))!;
      const stmts = changeNotices(
        caller.workspaceId,
        { id, name: input.name, timeZone: input.timeZone },
        before ? horizon(before.compiled, t) : [],
        horizon(after.compiled, t),
        newId(),
        t,
      );
      if (stmts.length) await push.writeAndKick(stmts, t);
      return { id };
    },

    /** Take, cover or swap shifts; see `shiftChangeInput` for who may do what. */
    async change(caller: Caller, input: z.output<typeof shiftChangeInput>) {
      const s = await requireSchedule(caller, input.scheduleId);
      const manager = caller.role !== 'agent';
      if (input.kind === 'take')
        return applyOverrides(caller, s, [{ userId: caller.userId, span: input.span }]);
      if (input.kind === 'cover') {
        await requireActive(caller.workspaceId, input.userId);
        if (!manager && input.userId !== caller.userId) {
          const whose = soleOnCall(s.compiled, input.span, 'The shift to cover');
          if (whose !== caller.userId)
            throw new OnCallError('FORBIDDEN', 'You may only ask someone to cover your own shift');
        }
        return applyOverrides(caller, s, [{ userId: input.userId, span: input.span }]);
      }
      const a = soleOnCall(s.compiled, input.mine, 'The first shift');
      const b = soleOnCall(s.compiled, input.theirs, 'The other shift');
      if (a === b) throw new OnCallError('BAD_REQUEST', 'Both shifts are the same person’s');
      if (!manager && a !== caller.userId)
        throw new OnCallError('FORBIDDEN', 'You may only swap a shift of your own');
      await requireActive(caller.workspaceId, b);
      return applyOverrides(caller, s, [
        { userId: b, span: input.mine },
        { userId: a, span: input.theirs },
      ]);
    },

    /** Removes an override: a manager, whoever made it, or whoever it puts on call. */
    async removeOverride(caller: Caller, overrideId: string) {
      const o = await db.query.oncallOverrides.findFirst({
        where: and(
          eq(oncallOverrides.id, overrideId),
          eq(oncallOverrides.workspaceId, caller.workspaceId),
        ),
      });
      if (!o) throw new OnCallError('NOT_FOUND', 'No such override');
      if (caller.role === 'agent' && o.createdBy !== caller.userId && o.userId !== caller.userId)
        throw new OnCallError('FORBIDDEN', 'Only managers remove someone else’s override');
      const s = await requireSchedule(caller, o.scheduleId);
      await applyOverrides(caller, s, [], [o.id]);
      return { ok: true };
    },

    /** Whether the caller has a calendar feed, and since when (the URL itself is shown once). */
    async feed(caller: Caller) {
      const row = await db.query.oncallFeeds.findFirst({
        where: eq(oncallFeeds.userId, caller.userId),
      });
      return { active: !!row, createdAt: row?.createdAt ?? null };
    },

    /** A new secret for the caller's feed: the old URL stops working. Returns the token once. */
    async rotateFeed(caller: Caller) {
      const token = randomToken();
      const t = now();
      await db
        .insert(oncallFeeds)
        .values({
          userId: caller.userId,
          workspaceId: caller.workspaceId,
          tokenHash: sha256(token),
          createdAt: t,
        })
        .onConflictDoUpdate({
          target: oncallFeeds.userId,
          set: { tokenHash: sha256(token), createdAt: t },
        });
      return { token };
    },

    async revokeFeed(caller: Caller) {
      await db.delete(oncallFeeds).where(eq(oncallFeeds.userId, caller.userId));
      return { ok: true };
    },

    /** The shifts a feed's token stands for, or null for an unknown token or an inactive person. */
    async feedShifts(token: string, t = now()) {
      const feed = await db.query.oncallFeeds.findFirst({
        where: eq(oncallFeeds.tokenHash, sha256(token)),
      });
      if (!feed) return null;
      const user = await db.query.users.findFirst({ where: eq(users.id, feed.userId) });
      if (!user || user.deactivatedAt !== null) return null;
      const caller = {
        userId: user.id,
        workspaceId: user.workspaceId,
        role: user.role,
      } as Caller;
      return { userName: user.name, shifts: await oncall.myShifts(caller, t) };
    },

    /** Devices with their status: the caller's own, or (a manager) anyone's of the workspace. */
    async devices(caller: Caller, userId?: string): Promise<DeviceStatus[]> {
      const whose = userId ?? caller.userId;
      if (whose !== caller.userId && caller.role === 'agent')
        throw new OnCallError('FORBIDDEN', 'Only managers see other people’s devices');
      const all = userId === undefined && caller.role !== 'agent';
      const rs = await client.execute({
        sql: `SELECT s.id, s.user_id, u.name, s.endpoint, s.created_at, s.last_success_at, s.last_failure_at, s.last_failure, s.retired_at
              FROM push_subscriptions s JOIN users u ON u.id = s.user_id
              WHERE s.workspace_id = ? AND (? OR s.user_id = ?) ORDER BY u.name, s.created_at`,
        args: [caller.workspaceId, all ? 1 : 0, whose],
      });
      const num = (v: unknown) => (v === null ? null : Number(v));
      return rs.rows.map((r) => {
        const lastSuccessAt = num(r[5]);
        const lastFailureAt = num(r[6]);
        const retiredAt = num(r[8]);
        return {
          id: r[0] as string,
          userId: r[1] as string,
          userName: r[2] as string,
          host: URL.canParse(r[3] as string) ? new URL(r[3] as string).host : '?',
          createdAt: Number(r[4]),
          lastSuccessAt,
          lastFailureAt,
          lastError: r[7] as string | null,
          retiredAt,
          status:
            retiredAt !== null
              ? 'retired'
              : lastFailureAt !== null && (lastSuccessAt === null || lastSuccessAt < lastFailureAt)
                ? 'failing'
                : lastSuccessAt !== null
                  ? 'working'
                  : 'untested',
        };
      });
    },

    /** "Send test" on one device: its owner, or a manager for anyone of the workspace. */
    async sendTest(caller: Caller, deviceId: string) {
      const rs = await client.execute({
        sql: 'SELECT user_id FROM push_subscriptions WHERE id = ? AND workspace_id = ?',
        args: [deviceId, caller.workspaceId],
      });
      const owner = rs.rows[0]?.[0] as string | undefined;
      if (!owner || (owner !== caller.userId && caller.role === 'agent'))
        throw new OnCallError('NOT_FOUND', 'No such device');
      return push.sendTest({ userId: owner }, deviceId);
    },

    /**
     * Timed work, at most once a minute: a push before each shift (once per shift) and, to
     * managers, when whoever is on call has no working device (once per spell).
     */
    async tick(t = now()) {
      if (t - lastTick < SHIFT_TICK_MS && t >= lastTick) return 0;
      lastTick = t;
      const stmts = await dueStatements(t);
      if (stmts.length) await push.writeAndKick(stmts, t);
      return stmts.length;
    },
  };
}
export type Shifts = ReturnType<typeof createShifts>;

import { z } from 'zod';
import { scheduleInput, shiftChangeInput, shiftReminderInput } from '@deskwatch/shared';
import { authedProcedure, managerProcedure, router, sessionProcedure } from '../trpc.js';
import { feedPath } from '../http/ical-feed.js';

const id = z.string().min(1).max(64);

/** Schedules as their people edit them: the editor, take/cover/swap, the calendar feed, devices. */
export const shiftsRouter = router({
  /** The active people of the workspace, to pick participants and covers from. */
  people: authedProcedure.query(({ ctx }) => ctx.services.shifts.people(ctx.caller.workspaceId)),

  schedule: authedProcedure
    .input(z.strictObject({ id }))
    .query(({ ctx, input }) => ctx.services.shifts.schedule(ctx.caller, input.id)),

  /** Create or edit a schedule; whoever's shifts change gets a push. */
  saveSchedule: managerProcedure
    .input(scheduleInput)
    .mutation(({ ctx, input }) => ctx.services.shifts.saveSchedule(ctx.caller, input)),

  /** Take, cover or swap a shift, from the phone. */
  change: authedProcedure
    .input(shiftChangeInput)
    .mutation(({ ctx, input }) => ctx.services.shifts.change(ctx.caller, input)),

  removeOverride: authedProcedure
    .input(z.strictObject({ overrideId: id }))
    .mutation(({ ctx, input }) => ctx.services.shifts.removeOverride(ctx.caller, input.overrideId)),

  feed: sessionProcedure.query(({ ctx }) => ctx.services.shifts.feed(ctx.caller)),

  /** A new secret calendar URL (shown this once); the previous one stops working. */
  rotateFeed: sessionProcedure.mutation(async ({ ctx }) => {
    const { token } = await ctx.services.shifts.rotateFeed(ctx.caller);
    return { path: feedPath(token) };
  }),

  revokeFeed: sessionProcedure.mutation(({ ctx }) => ctx.services.shifts.revokeFeed(ctx.caller)),

  /** Device status: your own, or as a manager anyone's (`userId`) or the whole team's (no `userId`). */
  devices: authedProcedure
    .input(z.strictObject({ userId: id.optional() }).optional())
    .query(({ ctx, input }) => ctx.services.shifts.devices(ctx.caller, input?.userId)),

  /** Your reminder before each of your shifts, in minutes (0: none). */
  reminder: authedProcedure.query(({ ctx }) => ctx.services.shifts.myReminder(ctx.caller)),

  saveReminder: authedProcedure
    .input(shiftReminderInput)
    .mutation(({ ctx, input }) => ctx.services.shifts.saveReminder(ctx.caller, input)),

  sendTest: sessionProcedure
    .input(z.strictObject({ deviceId: id }))
    .mutation(({ ctx, input }) => ctx.services.shifts.sendTest(ctx.caller, input.deviceId)),
});

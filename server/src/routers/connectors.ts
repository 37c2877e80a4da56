import { z } from 'zod';
import { connectorSecret } from '@deskwatch/shared';
import { previewGeneric } from '../connectors/generic.js';
import { connectorId, TOOLS, TOOL_IDS } from '../connectors/index.js';
import { intakeOf } from '../connectors/intake.js';
import { adminProcedure, router } from '../trpc.js';

/** A secret as the tool shows it (Zendesk's signing secret, GitHub's hook secret). */
const secret = connectorSecret;
const name = z.string().trim().min(1).max(100);
/** Each tool's settings are checked by its own schema in the service; here only their shape. */
const config = z.record(z.string().max(64), z.unknown());
/** Silent or failing this long tells admins: 15 minutes to 7 days; null: the default (6 h). */
const silentAfterMs = z
  .number()
  .int()
  .min(15 * 60_000)
  .max(7 * 86_400_000)
  .nullable();

/**
 * Connectors for admins: the tools that send or are read for the workspace's tickets, their
 * health, and "send a test event". Secrets go in and never come out.
 */
export const connectorsRouter = router({
  /** The tools a connector can be set up for, and how each sends or is read (`intake`). */
  tools: adminProcedure.query(() =>
    Object.values(TOOLS).map((t) => ({
      id: t.id,
      name: t.name,
      intake: intakeOf(t),
      /** Read from its API only (no webhooks): `intake === 'poll'`. */
      polled: intakeOf(t) === 'poll',
    })),
  ),

  list: adminProcedure.query(({ ctx }) => ctx.services.connectors.list(ctx.caller.workspaceId)),

  create: adminProcedure
    .input(
      z.strictObject({
        tool: z.enum(TOOL_IDS),
        name,
        config: config.default({}),
        webhookSecret: secret.optional(),
        apiToken: secret.optional(),
        silentAfterMs: silentAfterMs.optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.services.connectors.create(ctx.caller.workspaceId, input, ctx.caller.userId),
    ),

  update: adminProcedure
    .input(
      z.strictObject({
        connectorId,
        name: name.optional(),
        config: config.optional(),
        enabled: z.boolean().optional(),
        silentAfterMs: silentAfterMs.optional(),
      }),
    )
    .mutation(({ ctx, input: { connectorId: id, ...rest } }) =>
      ctx.services.connectors.update(ctx.caller.workspaceId, id, rest, ctx.caller.userId),
    ),

  /** Replaces a secret; the answer says only that one is set. */
  rotate: adminProcedure
    .input(
      z
        .strictObject({
          connectorId,
          webhookSecret: secret.optional(),
          apiToken: secret.optional(),
        })
        .refine((i) => i.webhookSecret !== undefined || i.apiToken !== undefined, {
          message: 'Give a new webhook secret or API token',
        }),
    )
    .mutation(({ ctx, input: { connectorId: id, ...rest } }) =>
      ctx.services.connectors.rotate(ctx.caller.workspaceId, id, rest, ctx.caller.userId),
    ),

  /** Malformed deliveries kept for inspection (payloads are shown as text). */
  quarantined: adminProcedure
    .input(z.strictObject({ connectorId }))
    .query(({ ctx, input }) =>
      ctx.services.connectors.quarantined(ctx.caller.workspaceId, input.connectorId),
    ),

  /** The generic webhook's live preview: a pasted sample through the mapping; stores nothing. */
  previewGeneric: adminProcedure
    .input(z.strictObject({ config, sample: z.string().max(64 * 1024) }))
    .mutation(({ input }) => previewGeneric(input.config, input.sample)),

  /** A signed sample delivery through verification, reading and the apply check. */
  test: adminProcedure
    .input(z.strictObject({ connectorId }))
    .mutation(({ ctx, input }) =>
      ctx.services.connectors.test(ctx.caller.workspaceId, input.connectorId),
    ),
});

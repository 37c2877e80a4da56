import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { adminProcedure, authedProcedure, managerProcedure, router } from '../trpc.js';
import { itemsFromFiles } from '../kb/sources.js';

const id = z.string().min(1).max(64);
const notFound = () =>
  new TRPCError({ code: 'NOT_FOUND', message: 'No such article or ticket in your workspace' });

/** What the overlay sends for suggestions: read off the page, used for this search and not stored. */
export const suggestInput = z.strictObject({
  ticketId: id.optional(),
  subject: z.string().max(500),
  /** The latest customer message, as text. */
  message: z.string().max(20_000).default(''),
});

/** An admin's upload: files as the browser read them (base64), the same formats as the CLI. */
export const importInput = z.strictObject({
  source: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9:._-]{0,59}$/,
      'a source name is lower-case letters, digits and : . _ -',
    )
    .nullable()
    .default(null)
    .describe(
      'where the articles come from; null: a vendor export names its own (zendesk, freshdesk)',
    ),
  /** Archive the source's articles that the upload no longer holds. */
  archiveMissing: z.boolean().default(false),
  /** Chosen by the app, to ask for the upload's progress while it runs. */
  importId: z
    .string()
    .regex(/^[\w-]{8,64}$/)
    .optional(),
  files: z
    .array(
      z.strictObject({
        /** The file's path inside the folder the admin picked (its key), or its name. */
        name: z.string().min(1).max(300),
        base64: z.string().max(30_000_000),
      }),
    )
    .min(1)
    .max(2000),
});

export const kbRouter = router({
  suggest: authedProcedure
    .input(suggestInput)
    .query(({ ctx, input }) =>
      ctx.services.kb.suggest(ctx.caller.workspaceId, ctx.caller.userId, input),
    ),
  search: authedProcedure
    .input(z.strictObject({ q: z.string().trim().min(1).max(300) }))
    .query(({ ctx, input }) => ctx.services.kb.engine.search(ctx.caller.workspaceId, input.q)),
  article: authedProcedure.input(z.strictObject({ id })).query(async ({ ctx, input }) => {
    const a = await ctx.services.kb.articles.get(ctx.caller.workspaceId, input.id);
    if (!a) throw notFound();
    return a;
  }),
  /** What an agent did with a suggested article. */
  record: authedProcedure
    .input(
      z.strictObject({
        articleId: id,
        ticketId: id.optional(),
        kind: z.enum([
          'opened',
          'copied',
          'inserted',
          'helpful',
          'not_relevant',
          'flagged_outdated',
        ]),
        comment: z.string().trim().max(2000).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (input.kind === 'flagged_outdated' && !input.comment)
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'Say what is outdated' });
      if (!(await ctx.services.kb.record(ctx.caller.workspaceId, ctx.caller.userId, input)))
        throw notFound();
      return { ok: true };
    }),
  link: authedProcedure
    .input(z.strictObject({ ticketId: id, articleId: id }))
    .mutation(async ({ ctx, input }) => {
      const { workspaceId, userId } = ctx.caller;
      if (!(await ctx.services.kb.link(workspaceId, userId, input.ticketId, input.articleId)))
        throw notFound();
      return ctx.services.kb.linksOf(workspaceId, input.ticketId);
    }),
  links: authedProcedure
    .input(z.strictObject({ ticketId: id }))
    .query(({ ctx, input }) => ctx.services.kb.linksOf(ctx.caller.workspaceId, input.ticketId)),
  /** This ticket's article marks (linked, the caller's rating and flag), so the overlay shows what the server knows. */
  marks: authedProcedure
    .input(z.strictObject({ ticketId: id }))
    .query(({ ctx, input }) =>
      ctx.services.kb.marksOf(ctx.caller.workspaceId, ctx.caller.userId, input.ticketId),
    ),
  /** An agent starts a draft article from a ticket; a manager reviews it. */
  draft: authedProcedure
    .input(
      z.strictObject({
        ticketId: id.optional(),
        title: z.string().trim().min(1).max(300),
        body: z.string().trim().min(1).max(50_000),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.services.kb.draft(ctx.caller.workspaceId, ctx.caller.name, input),
    ),
  /** Drafts and flagged articles, for managers to review. */
  review: managerProcedure.query(({ ctx }) => ctx.services.kb.review(ctx.caller.workspaceId)),
  /** KB effectiveness over the last days, with the period before for the trend. */
  effectiveness: managerProcedure
    .input(z.strictObject({ days: z.number().int().min(1).max(365).default(30) }))
    .query(({ ctx, input }) =>
      ctx.services.kb.insights.effectiveness(ctx.caller.workspaceId, input.days),
    ),
  /** Recent tickets with no good article, grouped by topic: which article to write next. */
  gaps: managerProcedure
    .input(
      z.strictObject({
        days: z.number().int().min(1).max(365).default(30),
        minCoverage: z.number().min(0.05).max(1).default(0.5),
      }),
    )
    .query(({ ctx, input }) =>
      ctx.services.kb.insights.gaps(ctx.caller.workspaceId, input.days, input.minCoverage),
    ),
  setState: managerProcedure
    .input(z.strictObject({ id, state: z.enum(['draft', 'published', 'outdated', 'archived']) }))
    .mutation(async ({ ctx, input }) => {
      const a = await ctx.services.kb.setState(ctx.caller.workspaceId, input.id, input.state);
      if (!a) throw notFound();
      return a;
    }),
  import: adminProcedure.input(importInput).mutation(({ ctx, input }) => {
    const files = input.files.map((f) => ({
      name: f.name,
      bytes: Buffer.from(f.base64, 'base64'),
    }));
    return ctx.services.kb.upload(
      ctx.caller.workspaceId,
      input.importId,
      input.source,
      itemsFromFiles(files),
      { archiveMissing: input.archiveMissing },
    );
  }),
  /** How far an admin upload has got: items read so far. */
  importProgress: adminProcedure
    .input(z.strictObject({ importId: z.string().regex(/^[\w-]{8,64}$/) }))
    .query(({ ctx, input }) => ctx.services.kb.progress(ctx.caller.workspaceId, input.importId)),
});

import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

// Instants are epoch milliseconds in integer columns; ids are random text.

export const workspaces = sqliteTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['agent', 'manager', 'admin'] }).notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    /** When an admin deactivated the user: they can no longer sign in, and nothing of theirs works. */
    deactivatedAt: integer('deactivated_at'),
  },
  (t) => [uniqueIndex('users_email').on(t.email), index('users_workspace').on(t.workspaceId)],
);

/**
 * Names and e-mails a user goes by in the ticket tools, besides their Deskwatch ones: with them,
 * the workspace's agent list tells agents' messages from customers' where a page does not.
 */
export const agentAliases = sqliteTable(
  'agent_aliases',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    /** The adapter id of the tool the alias is used in; null: every tool. */
    tool: text('tool'),
    name: text('name'),
    email: text('email'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('agent_aliases_workspace').on(t.workspaceId),
    index('agent_aliases_user').on(t.userId),
  ],
);

export const sessions = sqliteTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

export const pairingCodes = sqliteTable('pairing_codes', {
  codeHash: text('code_hash').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
});

/**
 * Failed sign-ins and pairing codes, counted per key (a hash of what is limited: an account and
 * address, or an address), in the database so that limits hold across instances and restarts.
 */
export const authThrottle = sqliteTable(
  'auth_throttle',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
    blockedUntil: integer('blocked_until'),
  },
  (t) => [index('auth_throttle_last').on(t.lastAt)],
);

export const extensionTokens = sqliteTable(
  'extension_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    deviceName: text('device_name').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [
    uniqueIndex('extension_tokens_hash').on(t.tokenHash),
    index('extension_tokens_user').on(t.userId),
  ],
);

export const calendars = sqliteTable(
  'calendars',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    specJson: text('spec_json').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('calendars_workspace').on(t.workspaceId)],
);

export const slaPolicies = sqliteTable('sla_policies', {
  id: text('id').primaryKey(),
  workspaceId: text('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  position: integer('position').notNull(),
  policyJson: text('policy_json').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const tickets = sqliteTable(
  'tickets',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    source: text('source').notNull(),
    externalId: text('external_id').notNull(),
    url: text('url').notNull(),
    subject: text('subject').notNull(),
    status: text('status').notNull(),
    category: text('category').notNull(),
    priority: text('priority').notNull(),
    requester: text('requester').notNull(),
    requesterOrg: text('requester_org'),
    /** Who the tool showed the ticket assigned to, as the tool names them (metrics: at-risk queue, load). */
    assignee: text('assignee'),
    /** JSON array of strings. */
    tags: text('tags').notNull().default('[]'),
    createdAt: integer('created_at').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    /** When the page last changed (an unchanged page is not written again). */
    lastSeenAt: integer('last_seen_at').notNull(),
    /**
     * From when the ticket's status is known, when not since creation: it was first seen in
     * another status than new, with no page showing its history back to creation. Null: known
     * since creation. SLA states and metrics exclude or flag what lies before it.
     */
    statusKnownFrom: integer('status_known_from'),
    /**
     * Digest of the last snapshot stored: a page sent again unchanged is answered from the
     * stored state without a write.
     */
    snapshotDigest: text('snapshot_digest'),
  },
  (t) => [uniqueIndex('tickets_source_key').on(t.workspaceId, t.source, t.externalId)],
);

export const ticketEvents = sqliteTable(
  'ticket_events',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    type: text('type', { enum: ['created', 'status', 'priority', 'message'] }).notNull(),
    at: integer('at').notNull(),
    data: text('data').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    recordedAt: integer('recorded_at').notNull(),
  },
  (t) => [
    uniqueIndex('ticket_events_dedupe').on(t.ticketId, t.dedupeKey),
    index('ticket_events_ticket_at').on(t.ticketId, t.at),
    // Workspace reports over a period (KB effectiveness: tickets resolved in it).
    index('ticket_events_workspace_type_at').on(t.workspaceId, t.type, t.at),
  ],
);

/**
 * Who saw a ticket (a paired extension, or a signed-in session): each source's view is kept
 * apart, so one whose times disagree with the others' is flagged instead of merged, and an
 * admin can recompute the ticket without it.
 */
export const ticketSources = sqliteTable(
  'ticket_sources',
  {
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** `token:<extension token id>`, `user:<user id>` (a session) or `legacy` (before sources were kept). */
    sourceKey: text('source_key').notNull(),
    userId: text('user_id').references(() => users.id),
    tokenId: text('token_id').references(() => extensionTokens.id),
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** The status category and priority this source last reported (its next view stores them only when they change). */
    lastCategory: text('last_category'),
    lastPriority: text('last_priority'),
    /** Why this source's observations are kept out of the log: its times disagree with the others'. */
    conflict: text('conflict'),
    conflictAt: integer('conflict_at'),
    /** An admin recomputed the ticket without this source. */
    excludedAt: integer('excluded_at'),
    excludedBy: text('excluded_by').references(() => users.id),
    /** Digest of the page this source last sent: sent again unchanged, it writes nothing. */
    snapshotDigest: text('snapshot_digest'),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.sourceKey] }),
    index('ticket_sources_workspace').on(t.workspaceId),
  ],
);

/**
 * What each source observed of a ticket, as it observed it: the event log (`ticket_events`) is
 * derived from these, and re-derived from them when an admin sets a source aside. Type `seen`
 * is the status category and priority a view showed at that instant.
 */
export const ticketObservations = sqliteTable(
  'ticket_observations',
  {
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    sourceKey: text('source_key').notNull(),
    type: text('type', { enum: ['created', 'status', 'priority', 'message', 'seen'] }).notNull(),
    at: integer('at').notNull(),
    data: text('data').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    recordedAt: integer('recorded_at').notNull(),
  },
  // A source's reading of one fact is stored once; a different reading of it (another instant)
  // is another row, so a recompute sees each view as it was.
  (t) => [primaryKey({ columns: [t.ticketId, t.sourceKey, t.dedupeKey, t.at] })],
);

/**
 * Each ticket's SLA state as last computed, and the next instant an alert may be due for it
 * (indexed). The scheduler claims due rows one instance at a time; a claim expires, so work
 * held by an instance that died is taken over.
 */
export const ticketSla = sqliteTable(
  'ticket_sla',
  {
    ticketId: text('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    policyId: text('policy_id'),
    calendarId: text('calendar_id'),
    stateJson: text('state_json').notNull(),
    /** The list badge of `state_json` (`sla-badge.ts`), written with it, so badge reads skip the state. */
    badgeJson: text('badge_json'),
    nextAt: integer('next_at'),
    computedAt: integer('computed_at').notNull(),
    claimedBy: text('claimed_by'),
    claimedUntil: integer('claimed_until'),
  },
  (t) => [
    index('ticket_sla_next_at').on(t.nextAt),
    index('ticket_sla_workspace').on(t.workspaceId),
  ],
);

/** Alerts raised for managers: SLA warnings and breaches, deduplicated by key. */
export const alerts = sqliteTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id),
    key: text('key').notNull(),
    kind: text('kind', { enum: ['sla_warning', 'sla_breach'] }).notNull(),
    metric: text('metric').notNull(),
    level: text('level').notNull(),
    dueAt: integer('due_at'),
    /** The instant the alert was meant to fire (a warning's threshold, the breach): with fired_at, how late it went out. */
    scheduledAt: integer('scheduled_at'),
    /** Levels of the same cycle that were due but never sent (a takeover after them), as a JSON list. */
    skippedLevels: text('skipped_levels'),
    firedAt: integer('fired_at').notNull(),
    firedBy: text('fired_by').notNull(),
    acknowledgedBy: text('acknowledged_by').references(() => users.id),
    acknowledgedAt: integer('acknowledged_at'),
    /** The ticket's priority when the alert fired (the card shows that one, not today's). */
    priority: text('priority'),
  },
  (t) => [
    uniqueIndex('alerts_ticket_key').on(t.ticketId, t.key),
    index('alerts_workspace_fired').on(t.workspaceId, t.firedAt),
  ],
);

/** Adapter fields that stopped matching on agents' pages, per tool and adapter version. */
export const adapterHealth = sqliteTable(
  'adapter_health',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    tool: text('tool').notNull(),
    version: text('version').notNull(),
    field: text('field').notNull(),
    count: integer('count').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    lastUrl: text('last_url').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.tool, t.version, t.field] })],
);

/** Adapters taught by a workspace's users (data, not code), for every agent of the workspace. */
export const taughtAdapters = sqliteTable(
  'taught_adapters',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    id: text('id').notNull(),
    specJson: text('spec_json').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** Adapters a workspace switched off, without a new extension release. */
export const adapterSettings = sqliteTable(
  'adapter_settings',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    tool: text('tool').notNull(),
    disabled: integer('disabled', { mode: 'boolean' }).notNull(),
    /** The workspace's own status and priority mappings for this tool (AdapterValues JSON), laid over the adapter's. */
    valuesJson: text('values_json'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.tool] })],
);

export const escalations = sqliteTable(
  'escalations',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id),
    requestedBy: text('requested_by')
      .notNull()
      .references(() => users.id),
    type: text('type', { enum: ['tier2', 'manager_approval', 'incident'] }).notNull(),
    severity: text('severity', { enum: ['low', 'normal', 'high', 'critical'] }).notNull(),
    reason: text('reason').notNull(),
    state: text('state', {
      enum: ['pending', 'approved', 'denied', 'expired', 'cancelled'],
    }).notNull(),
    decidedBy: text('decided_by').references(() => users.id),
    decidedAt: integer('decided_at'),
    decisionComment: text('decision_comment'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('escalations_ws_state').on(t.workspaceId, t.state),
    index('escalations_ticket').on(t.ticketId),
  ],
);

/**
 * What changed, for live feeds on other server instances: every write to `escalations` adds a
 * row here in its own transaction (triggers of the live_changes migration, by hand: drizzle-kit
 * does not model triggers). Each instance reads the rows after the last one it saw, with one
 * query every `LIVE_POLL_MS`, and wakes only the watchers of those tickets. `seq` is
 * AUTOINCREMENT so that it never goes back once old rows are pruned (housekeeping keeps an hour).
 */
export const liveChanges = sqliteTable(
  'live_changes',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    workspaceId: text('workspace_id').notNull(),
    ticketId: text('ticket_id').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('live_changes_at').on(t.at)],
);

export const pushSubscriptions = sqliteTable(
  'push_subscriptions',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    createdAt: integer('created_at').notNull(),
    retiredAt: integer('retired_at'),
    lastError: text('last_error'),
    /** Device status (issue #19): when a push last reached it; when one last failed, and the failure's category. */
    lastSuccessAt: integer('last_success_at'),
    lastFailureAt: integer('last_failure_at'),
    lastFailure: text('last_failure'),
  },
  (t) => [uniqueIndex('push_subscriptions_endpoint').on(t.endpoint)],
);

/**
 * The push outbox: one row per notification per device, written in the same batch as what it
 * announces (an alert, an escalation). An instance claims due rows through the database, sends
 * each and records the outcome; a failure that may pass waits `next_at` and is tried again, by
 * whichever instance runs then. `last_error` holds a category (`unreachable`, `rejected`, ...),
 * never network detail.
 */
export const pushOutbox = sqliteTable(
  'push_outbox',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** The device; null for a webhook delivery (then `webhookId`). */
    subscriptionId: text('subscription_id').references(() => pushSubscriptions.id, {
      onDelete: 'cascade',
    }),
    /** The device's owner; null for a webhook delivery. */
    userId: text('user_id').references(() => users.id),
    /** A path level's outgoing webhook (issue #19, second channel); null for a push. */
    webhookId: text('webhook_id').references(() => oncallWebhooks.id, { onDelete: 'cascade' }),
    kind: text('kind', {
      enum: [
        'sla_alert',
        'escalation',
        'test',
        'connector',
        'red_flag',
        'digest',
        'shift',
        'device',
      ],
    }).notNull(),
    /** The alert, escalation or test send this notification is about. */
    sourceId: text('source_id').notNull(),
    payloadJson: text('payload_json').notNull(),
    state: text('state', { enum: ['pending', 'sent', 'retired', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAt: integer('next_at').notNull(),
    claimedBy: text('claimed_by'),
    claimedUntil: integer('claimed_until'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    doneAt: integer('done_at'),
  },
  (t) => [
    uniqueIndex('push_outbox_source_subscription').on(t.sourceId, t.subscriptionId),
    uniqueIndex('push_outbox_source_webhook').on(t.sourceId, t.webhookId),
    index('push_outbox_due').on(t.state, t.nextAt),
    index('push_outbox_user_kind').on(t.userId, t.kind, t.createdAt),
  ],
);

export const actionTokens = sqliteTable('action_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  escalationId: text('escalation_id')
    .notNull()
    .references(() => escalations.id),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

// The Demo Desk: a stand-in ticketing tool. Deskwatch's own code never reads these tables;
// the extension learns about demo tickets only by reading the pages, like any other tool.
export const demoTickets = sqliteTable('demo_tickets', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  subject: text('subject').notNull(),
  status: text('status').notNull(),
  priority: text('priority').notNull(),
  requester: text('requester').notNull(),
  createdAt: integer('created_at').notNull(),
  /**
   * Whether `demo_changes` holds every change since creation (tickets created or seeded since
   * the history was kept). Older tickets show no history list, so their history reads as
   * unknown rather than as "unchanged since creation".
   */
  historyKnown: integer('history_known', { mode: 'boolean' }).notNull().default(false),
});

export const demoMessages = sqliteTable('demo_messages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  ticketId: integer('ticket_id')
    .notNull()
    .references(() => demoTickets.id),
  authorKind: text('author_kind', { enum: ['agent', 'customer'] }).notNull(),
  authorName: text('author_name').notNull(),
  public: integer('public', { mode: 'boolean' }).notNull(),
  body: text('body').notNull(),
  createdAt: integer('created_at').notNull(),
});

// Knowledge base. Articles are searched through the FTS5 table `kb_fts` (migration
// 0006_kb_fts, written by hand: drizzle-kit does not know virtual tables), kept in step with
// `kb_articles` by triggers, so every write that changes an article changes the index in the
// same transaction.
export const KB_STATES = ['draft', 'published', 'outdated', 'archived'] as const;

export const kbArticles = sqliteTable(
  'kb_articles',
  {
    /** The FTS5 index's rowid. */
    rowid: integer('rowid').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** Where the article came from (`import:zendesk-guide`, `editor`…) and its key there: re-imports update, never duplicate. */
    source: text('source').notNull(),
    sourceKey: text('source_key').notNull(),
    title: text('title').notNull(),
    /** Markdown. */
    body: text('body').notNull(),
    /** Space-separated, for the index. */
    tags: text('tags').notNull().default(''),
    language: text('language').notNull().default('en'),
    externalUrl: text('external_url'),
    author: text('author').notNull().default(''),
    state: text('state', { enum: KB_STATES }).notNull(),
    version: integer('version').notNull(),
    /** Hash of the content, so an unchanged re-import writes nothing. */
    contentHash: text('content_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('kb_articles_source_key').on(t.workspaceId, t.source, t.sourceKey),
    index('kb_articles_workspace_state').on(t.workspaceId, t.state),
    // Imports look for an article the workspace already has under the same title (duplicates).
    index('kb_articles_workspace_title').on(t.workspaceId, t.title),
  ],
);

/**
 * One row whose `generation` every write to `kb_articles` bumps (triggers of migration
 * 0010_kb_changes, by hand: drizzle-kit does not model triggers). Searches compare it with the
 * one they last saw to drop what they remembered about the index (terms no article held), so
 * an article written by this process, another instance or the CLI is found at once.
 */
export const kbChanges = sqliteTable('kb_changes', {
  id: integer('id').primaryKey(),
  generation: integer('generation').notNull(),
});

/** Every earlier version of an article, written when it changes. */
export const kbArticleVersions = sqliteTable(
  'kb_article_versions',
  {
    articleId: text('article_id')
      .notNull()
      .references(() => kbArticles.id),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    tags: text('tags').notNull(),
    state: text('state', { enum: KB_STATES }).notNull(),
    author: text('author').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.version] })],
);

/** Agents' actions on suggested articles, per workspace: what makes effectiveness metrics. */
export const kbEvents = sqliteTable(
  'kb_events',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    articleId: text('article_id').references(() => kbArticles.id),
    ticketId: text('ticket_id').references(() => tickets.id),
    userId: text('user_id').references(() => users.id),
    kind: text('kind', {
      enum: [
        'shown',
        'opened',
        'copied',
        'inserted',
        'linked',
        'helpful',
        'not_relevant',
        'flagged_outdated',
      ],
    }).notNull(),
    comment: text('comment'),
    at: integer('at').notNull(),
  },
  (t) => [
    index('kb_events_workspace_kind').on(t.workspaceId, t.kind, t.at),
    index('kb_events_article').on(t.articleId),
  ],
);

/** Articles linked to tickets: they answer them, and boost the article for similar tickets. */
export const kbLinks = sqliteTable(
  'kb_links',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id),
    articleId: text('article_id')
      .notNull()
      .references(() => kbArticles.id),
    linkedBy: text('linked_by').references(() => users.id),
    at: integer('at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.articleId] }),
    index('kb_links_article').on(t.articleId),
  ],
);

/**
 * What the best suggestion for a ticket scored, with the ticket's distinctive terms (never its
 * text): the gap report clusters tickets with no good article.
 */
export const kbQueries = sqliteTable(
  'kb_queries',
  {
    ticketId: text('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    terms: text('terms').notNull(),
    bestArticleId: text('best_article_id'),
    bestScore: real('best_score'),
    /**
     * The share of the subject's terms the best article holds (0 to 1): how well it answers,
     * comparable across tickets, where a BM25 score is not (one common word in a title can
     * score as high as the answer).
     */
    bestCoverage: real('best_coverage'),
    at: integer('at').notNull(),
  },
  (t) => [index('kb_queries_workspace_at').on(t.workspaceId, t.at)],
);

/**
 * An invitation to join a workspace with a role: a link holding a random token (only its hash is
 * kept), used once, before it expires.
 */
export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    tokenHash: text('token_hash').notNull(),
    email: text('email').notNull(),
    role: text('role', { enum: ['agent', 'manager', 'admin'] }).notNull(),
    invitedBy: text('invited_by').references(() => users.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    usedBy: text('used_by').references(() => users.id),
    revokedAt: integer('revoked_at'),
  },
  (t) => [
    uniqueIndex('invitations_token').on(t.tokenHash),
    index('invitations_workspace').on(t.workspaceId),
  ],
);

/**
 * Every admin change: who did what to which thing, with what it was before and after (JSON).
 * Read newest first, a page at a time by `seq` (never by time: two changes can share a millisecond).
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** The admin who made the change; null for the operator's command line. */
    actorId: text('actor_id').references(() => users.id),
    action: text('action').notNull(),
    /** What was changed: `user:<id>`, `invitation:<id>`, `calendar:<id>`, ... */
    target: text('target').notNull(),
    beforeJson: text('before_json'),
    afterJson: text('after_json'),
    at: integer('at').notNull(),
  },
  (t) => [index('audit_log_workspace_seq').on(t.workspaceId, t.seq)],
);

/**
 * A ticket tool connected by an admin (issue #16): its webhook receiver and/or poller feed the
 * same event log as pages do, as source `connector:<id>`. Secrets are encrypted at rest with the
 * server's `CONNECTOR_SECRET_KEY` and never leave the server. The counters are its health.
 */
export const connectors = sqliteTable(
  'connectors',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    tool: text('tool').notNull(),
    name: text('name').notNull(),
    /** JSON: the tool's non-secret settings (its base URL, subdomain, repository...). */
    config: text('config').notNull(),
    /** The webhook signing secret, encrypted (`crypto.ts` sealed format); null: none set. */
    webhookSecret: text('webhook_secret'),
    /** The API token the poller uses, encrypted; null: no poller. */
    apiToken: text('api_token'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    /** The poller's cursor (tool-specific, e.g. a start time or an export cursor). */
    cursor: text('cursor'),
    /** Backfill progress, JSON ({ phase, done, total }); null: not started. */
    backfill: text('backfill'),
    /** The poller must not call before this instant (Retry-After / backoff). */
    pollNotBefore: integer('poll_not_before'),
    received: integer('received').notNull().default(0),
    applied: integer('applied').notNull().default(0),
    duplicates: integer('duplicates').notNull().default(0),
    refused: integer('refused').notNull().default(0),
    quarantined: integer('quarantined').notNull().default(0),
    failures: integer('failures').notNull().default(0),
    lastEventAt: integer('last_event_at'),
    /** The tool's own time of the newest event applied: lag is `last_event_at - this`. */
    lastEventToolAt: integer('last_event_tool_at'),
    lastError: text('last_error'),
    lastErrorAt: integer('last_error_at'),
    /** When admins were last told this connector is silent or failing (one push per episode). */
    alertedAt: integer('alerted_at'),
    createdAt: integer('created_at').notNull(),
    secretRotatedAt: integer('secret_rotated_at'),
    /** Silent or failing this long (ms) tells admins; null: the default (watch.ts). */
    silentAfterMs: integer('silent_after_ms'),
  },
  (t) => [index('connectors_workspace').on(t.workspaceId)],
);

/** Each delivery or event a connector took in, by the tool's id: the same one twice applies once. */
export const connectorDeliveries = sqliteTable(
  'connector_deliveries',
  {
    connectorId: text('connector_id')
      .notNull()
      .references(() => connectors.id),
    deliveryId: text('delivery_id').notNull(),
    receivedAt: integer('received_at').notNull(),
    outcome: text('outcome', { enum: ['applied', 'quarantined'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.deliveryId] })],
);

/** Payloads a connector could not read: kept for an admin to inspect, never applied in part. */
export const connectorQuarantine = sqliteTable(
  'connector_quarantine',
  {
    id: text('id').primaryKey(),
    connectorId: text('connector_id')
      .notNull()
      .references(() => connectors.id),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    deliveryId: text('delivery_id'),
    reason: text('reason').notNull(),
    /** The body as received, cut at 64 KB. */
    payload: text('payload').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [index('connector_quarantine_connector').on(t.connectorId, t.receivedAt)],
);

/**
 * A connector's picture of one of its tickets, as the events so far built it: each event updates
 * it and the whole picture is observed, so the merge with pages is the one in `sources.ts`.
 */
export const connectorTickets = sqliteTable(
  'connector_tickets',
  {
    connectorId: text('connector_id')
      .notNull()
      .references(() => connectors.id),
    externalId: text('external_id').notNull(),
    /** JSON: the TicketSnapshot built so far. */
    snapshot: text('snapshot').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.externalId] })],
);

/**
 * The Demo Desk's history list: each change of a demo ticket's status or priority, shown on its
 * page as real tools do, so the overlay reads when a seeded ticket was solved instead of
 * dating it at first view.
 */
export const demoChanges = sqliteTable(
  'demo_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => demoTickets.id),
    field: text('field', { enum: ['status', 'priority'] }).notNull(),
    from: text('from').notNull(),
    to: text('to').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('demo_changes_ticket').on(t.ticketId, t.at)],
);

/**
 * An on-call schedule (issue #19). `spec` is the shared `scheduleSpec` without its overrides
 * (JSON: zone and layers); overrides are rows of their own, made from phones one at a time.
 */
export const oncallSchedules = sqliteTable(
  'oncall_schedules',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    spec: text('spec').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('oncall_schedules_workspace').on(t.workspaceId)],
);

/** Someone takes a schedule from `startAt` to `endAt`: a covered, swapped or taken shift. */
export const oncallOverrides = sqliteTable(
  'oncall_overrides',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    scheduleId: text('schedule_id')
      .notNull()
      .references(() => oncallSchedules.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    startAt: integer('start_at').notNull(),
    endAt: integer('end_at').notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('oncall_overrides_schedule').on(t.scheduleId, t.endAt)],
);

/**
 * An escalation path: ordered levels (JSON: the shared `pathLevels`), each paging its targets
 * and waiting its timeout for an acknowledgement; the whole path runs `repeat` more times.
 * At most one path per workspace is the default, which SLA alerts and escalation requests use.
 */
export const escalationPaths = sqliteTable(
  'escalation_paths',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    levels: text('levels').notNull(),
    repeat: integer('repeat').notNull().default(0),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    /** JSON: the shared `pathConditions` (when this path pages at all); `{}` always. */
    conditions: text('conditions').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('escalation_paths_workspace').on(t.workspaceId)],
);

/**
 * A page: one alert or escalation request going down a path. While `state` is open, the level
 * it is at waits until `nextAt`, when the scheduler (claiming the row) pages the next level.
 */
export const pages = sqliteTable(
  'pages',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    pathId: text('path_id')
      .notNull()
      .references(() => escalationPaths.id),
    kind: text('kind', { enum: ['sla_alert', 'escalation', 'red_flag', 'connector'] }).notNull(),
    /** The alert or escalation paged about; one page each. */
    sourceId: text('source_id').notNull(),
    title: text('title').notNull(),
    /** JSON: the push payload, sent again at each level. */
    payload: text('payload').notNull(),
    level: integer('level').notNull(),
    round: integer('round').notNull(),
    state: text('state', { enum: ['open', 'acknowledged', 'exhausted', 'resolved'] }).notNull(),
    /** Low urgency waits out each person's quiet hours; high always goes out. */
    urgency: text('urgency', { enum: ['high', 'low'] })
      .notNull()
      .default('high'),
    nextAt: integer('next_at'),
    claimedBy: text('claimed_by'),
    claimedUntil: integer('claimed_until'),
    acknowledgedBy: text('acknowledged_by').references(() => users.id),
    acknowledgedAt: integer('acknowledged_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('pages_source').on(t.sourceId),
    index('pages_due').on(t.state, t.nextAt),
    index('pages_workspace').on(t.workspaceId, t.createdAt),
  ],
);

/** A page's timeline: each level paged (and whom), each acknowledgement, the end of the path. */
export const pageEvents = sqliteTable(
  'page_events',
  {
    id: text('id').primaryKey(),
    pageId: text('page_id')
      .notNull()
      .references(() => pages.id, { onDelete: 'cascade' }),
    at: integer('at').notNull(),
    type: text('type', {
      enum: ['notified', 'acknowledged', 'exhausted', 'resolved', 'reassigned'],
    }).notNull(),
    userId: text('user_id').references(() => users.id),
    /** Who handed the page on (reassigned: `userId` is who it went to). */
    actorId: text('actor_id').references(() => users.id),
    level: integer('level'),
    round: integer('round'),
  },
  (t) => [index('page_events_page').on(t.pageId, t.at)],
);

/** A single-use, short-lived token in a page's push: the notification's Acknowledge button. */
export const pageTokens = sqliteTable('page_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  pageId: text('page_id')
    .notNull()
    .references(() => pages.id, { onDelete: 'cascade' }),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
});

/**
 * The target a manager set for one glance metric (issue #18): a duration in ms, a rate in 0..1 or
 * a count, per the metric's unit. One row per workspace and metric; absent, the card has none.
 */
export const metricTargets = sqliteTable(
  'metric_targets',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    metric: text('metric').notNull(),
    value: real('value').notNull(),
    updatedBy: text('updated_by').references(() => users.id),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.metric] })],
);

/**
 * A workspace's red-flag rules (issue #18): JSON checked by shared's `redFlagRules`; absent, every
 * rule is off. `evaluatedAt` paces the scheduler's evaluation.
 */
export const redFlagSettings = sqliteTable('red_flag_settings', {
  workspaceId: text('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  rulesJson: text('rules_json').notNull(),
  updatedBy: text('updated_by').references(() => users.id),
  updatedAt: integer('updated_at').notNull(),
  evaluatedAt: integer('evaluated_at'),
});

/**
 * A red flag raised: one row per occurrence, from when its rule's condition first held until it
 * no longer did (`clearedAt`). The partial unique index keeps one open occurrence per rule and
 * subject, so instances evaluating together raise (and push) it once.
 */
export const redFlags = sqliteTable(
  'red_flags',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    rule: text('rule').notNull(),
    /** A tag, a ticket id, or '' for the whole desk. */
    subject: text('subject').notNull(),
    title: text('title').notNull(),
    /** JSON: the numbers that raised it. */
    numbersJson: text('numbers_json').notNull(),
    raisedAt: integer('raised_at').notNull(),
    clearedAt: integer('cleared_at'),
  },
  (t) => [
    uniqueIndex('red_flags_open')
      .on(t.workspaceId, t.rule, t.subject)
      .where(sql`${t.clearedAt} IS NULL`),
    index('red_flags_workspace').on(t.workspaceId, t.raisedAt),
  ],
);

/** A manager's weekly digest: when (ISO weekday, local time, zone) and the last instant sent for. */
export const digestSettings = sqliteTable(
  'digest_settings',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    weekday: integer('weekday').notNull(),
    time: text('time').notNull(),
    timeZone: text('time_zone').notNull(),
    /** The due instant of the last digest sent (or skipped, being due before it was set). */
    lastDueAt: integer('last_due_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('digest_settings_workspace').on(t.workspaceId)],
);

/**
 * Metric rollups (issue #18, docs/metrics.md). Each ticket's metric points: the instants its
 * figures count at (created, solved, a response time, a breach, the start and end of an open
 * spell...), derived from its event log by the SLA engine and replaced whenever the log, the
 * ticket or the policies change. Zone-free: a day in any time zone is a range of `at`.
 */
export const metricPoints = sqliteTable(
  'metric_points',
  {
    workspaceId: text('workspace_id').notNull(),
    ticketId: text('ticket_id').notNull(),
    kind: text('kind').notNull(),
    at: integer('at').notNull(),
    /** For `risk`: the due instant (at risk from `at` to it). */
    until: integer('until'),
    metric: text('metric'),
    businessMs: real('business_ms'),
    calendarMs: real('calendar_ms'),
    source: text('source').notNull(),
    priority: text('priority').notNull(),
    assignee: text('assignee').notNull(),
    tags: text('tags').notNull(),
  },
  (t) => [
    index('metric_points_ws_at').on(t.workspaceId, t.at),
    index('metric_points_ticket').on(t.ticketId),
    index('metric_points_ws_kind_at').on(t.workspaceId, t.kind, t.at),
  ],
);

/**
 * The points summed per local day of a time zone and per filter dimensions: counts by kind and
 * the exact duration samples (JSON arrays) the medians need. Kept up to date by deltas.
 */
export const metricRollups = sqliteTable(
  'metric_rollups',
  {
    workspaceId: text('workspace_id').notNull(),
    timeZone: text('time_zone').notNull(),
    day: text('day').notNull(),
    source: text('source').notNull(),
    priority: text('priority').notNull(),
    assignee: text('assignee').notNull(),
    tags: text('tags').notNull(),
    counts: text('counts').notNull(),
    samples: text('samples').notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.workspaceId, t.timeZone, t.day, t.source, t.priority, t.assignee, t.tags],
    }),
  ],
);

/** Per dimensions, the sum of every open-spell and unknown-spell point: the backlog now. */
export const metricRollupTotals = sqliteTable(
  'metric_rollup_totals',
  {
    workspaceId: text('workspace_id').notNull(),
    source: text('source').notNull(),
    priority: text('priority').notNull(),
    assignee: text('assignee').notNull(),
    tags: text('tags').notNull(),
    open: integer('open').notNull(),
    unknown: integer('unknown').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.source, t.priority, t.assignee, t.tags] })],
);

/** The time zones a workspace's rollups are kept in (added when a manager first asks in one). */
export const metricRollupZones = sqliteTable(
  'metric_rollup_zones',
  {
    workspaceId: text('workspace_id').notNull(),
    timeZone: text('time_zone').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.timeZone] })],
);

/**
 * Tickets whose points must be derived again, marked by triggers on every write to tickets and
 * events (whatever the path); `mark` tells a mark made during a derivation from the one it read.
 */
export const metricDirty = sqliteTable(
  'metric_dirty',
  {
    ticketId: text('ticket_id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    mark: integer('mark').notNull(),
  },
  (t) => [index('metric_dirty_ws').on(t.workspaceId)],
);

/** Workspaces whose policies or calendars changed: every ticket is derived again. */
export const metricRebuild = sqliteTable('metric_rebuild', {
  workspaceId: text('workspace_id').primaryKey(),
  mark: integer('mark').notNull(),
});

/**
 * A person's on-call calendar feed (issue #19): the secret in its URL is kept only as a hash;
 * rotating it replaces the row, so the old URL stops working at once.
 */
export const oncallFeeds = sqliteTable('oncall_feeds', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  workspaceId: text('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: integer('created_at').notNull(),
});

/**
 * A workspace's single sign-on (OpenID Connect, issue #20). The client secret is sealed with the
 * server's `CONNECTOR_SECRET_KEY`, as connectors' secrets are. An allowed domain belongs to one
 * workspace at most, so an address finds its workspace before anyone is signed in.
 */
export const ssoSettings = sqliteTable(
  'sso_settings',
  {
    workspaceId: text('workspace_id')
      .primaryKey()
      .references(() => workspaces.id),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    /** Sealed (`crypto.ts`). */
    clientSecret: text('client_secret').notNull(),
    allowedDomain: text('allowed_domain'),
    defaultRole: text('default_role', { enum: ['agent', 'manager'] }).notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('sso_settings_domain').on(t.allowedDomain)],
);

/**
 * A sign-in under way at the identity provider: its state (hashed; the browser holds it in a
 * cookie too), PKCE verifier and nonce. Used once, within ten minutes; kept in the database so
 * that the callback may reach another instance than the start.
 */
export const ssoFlows = sqliteTable('sso_flows', {
  stateHash: text('state_hash').primaryKey(),
  workspaceId: text('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  codeVerifier: text('code_verifier').notNull(),
  nonce: text('nonce').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/**
 * Which path pages what (issue #19): an override per SLA policy or escalation type, or a routing
 * rule for escalation requests (by type, severity, tag). Tried by `position`, before the default.
 */
export const pageRoutes = sqliteTable(
  'page_routes',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    /** JSON: the shared `pageRouteMatch`. */
    match: text('match').notNull(),
    pathId: text('path_id')
      .notNull()
      .references(() => escalationPaths.id, { onDelete: 'cascade' }),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('page_routes_workspace').on(t.workspaceId, t.position)],
);

/** An automatic escalation rule: "unresolved for N hours", "breached and unassigned". */
export const autoEscalationRules = sqliteTable(
  'auto_escalation_rules',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    /** JSON: the shared `autoRuleInput.when`. */
    whenJson: text('when_json').notNull(),
    type: text('type', { enum: ['tier2', 'manager_approval', 'incident'] }).notNull(),
    severity: text('severity', { enum: ['low', 'normal', 'high', 'critical'] }).notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    /** The escalations it opens are requested in this person's name (who set the rule up). */
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('auto_escalation_rules_workspace').on(t.workspaceId)],
);

/** Each ticket a rule escalated, once: the primary key is what makes it once. */
export const autoEscalations = sqliteTable(
  'auto_escalations',
  {
    ruleId: text('rule_id')
      .notNull()
      .references(() => autoEscalationRules.id, { onDelete: 'cascade' }),
    ticketId: text('ticket_id')
      .notNull()
      .references(() => tickets.id),
    escalationId: text('escalation_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.ticketId] })],
);

/** A person's quiet hours: low-urgency pages wait until they end (JSON: shared `weeklyWindows`). */
export const quietHours = sqliteTable('quiet_hours', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id),
  workspaceId: text('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  windowsJson: text('windows_json').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * An outgoing webhook of a path level (issue #19): paged with the level's people, through the
 * push outbox. The signing secret is sealed with `CONNECTOR_SECRET_KEY`, never sent to clients.
 */
export const oncallWebhooks = sqliteTable(
  'oncall_webhooks',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    pathId: text('path_id')
      .notNull()
      .references(() => escalationPaths.id, { onDelete: 'cascade' }),
    /** The level's index in the path's levels. */
    level: integer('level').notNull(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    format: text('format', { enum: ['slack', 'teams', 'json'] }).notNull(),
    secretSealed: text('secret_sealed').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('oncall_webhooks_path').on(t.pathId, t.level)],
);

/**
 * How long before each of their shifts a person is reminded (issue #19); no row: an hour.
 * Zero: no reminder.
 */
export const shiftReminders = sqliteTable('shift_reminders', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id),
  workspaceId: text('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  leadMinutes: integer('lead_minutes').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

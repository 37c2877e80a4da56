import { dataAdapter } from './engine';

// Structure from Redmine 5.0 (Debian bookworm package, default theme), read off live pages of the
// test harness in tests/redmine/ and checked there in Chromium on every run. Redmine is
// self-hosted anywhere, so the path says "issue page" and the page marker confirms it.
/**
 * Redmine's default date and time formats per language (config/locales/*.yml in Redmine 5:
 * `date.formats.default` and `time.formats.time`), as its titles write them. An admin may set
 * another format for the whole instance: then the language's usual order is read instead, and
 * every time is cross-checked with the relative text beside it ("about 3 hours ago").
 */
export const REDMINE_DATE_FORMATS: Record<string, string> = {
  en: 'MM/dd/yyyy hh:mm a',
  de: 'dd.MM.yyyy HH:mm',
  fr: 'dd/MM/yyyy HH:mm',
  es: 'yyyy-MM-dd HH:mm',
  it: 'dd-MM-yyyy HH:mm',
  nl: 'dd-MM-yyyy HH:mm',
  pt: 'dd/MM/yyyy HH:mm',
  'pt-br': 'dd/MM/yyyy HH:mm',
};

export const redmine = dataAdapter({
  id: 'redmine',
  name: 'Redmine',
  version: '2',
  urlPattern: 'https://**/issues/:id',
  alsoUrlPatterns: ['http://**/issues/:id', 'https://**/**/issues/:id', 'http://**/**/issues/:id'],
  idPattern: '\\d+',
  // Other trackers share the /issues/N path: GitHub, GitLab (gitlab.com and its /-/ paths).
  notUrlPatterns: [
    'https://github.com/**',
    'https://gitlab.com/**',
    'https://**/**/-/**',
    'http://**/**/-/**',
  ],
  examples: {
    ticket: [
      'https://redmine.example.org/issues/1234',
      'http://127.0.0.1:8490/issues/5',
      'https://tracker.example.com/redmine/issues/77',
    ],
    notTicket: [
      'https://redmine.example.org/issues',
      'https://redmine.example.org/issues/1234/edit',
      'https://redmine.example.org/projects/ops/issues',
    ],
  },
  selectors: {
    page: 'body.controller-issues.action-show',
    subject: 'div.issue.details .subject h3',
    status: 'div.issue.details .attributes .status.attribute .value',
    priority: 'div.issue.details .attributes .priority.attribute .value',
    // Redmine has no requester role: the issue's author is the customer.
    requester: 'div.issue.details p.author a.user',
    assignee: 'div.issue.details .attributes .assigned-to.attribute .value a.user',
    // Redmine shows relative times ("about 3 hours ago"); the absolute one is the link's title,
    // in the viewer's time zone, at minute precision.
    created: 'div.issue.details p.author a[title] @title',
    description: 'div.issue.details .description .wiki',
    replyBox: '#issue_notes',
  },
  messages: {
    item: '#history .journal.has-notes',
    time: 'h4.note-header a[title] @title',
    id: '@id',
    author: 'h4.note-header a.user',
    // Redmine marks no one as staff: anyone not in the workspace's agent list is a customer
    // (until the list is loaded, the issue's author is the customer and everyone else an agent).
    authorship: 'not-agent',
    internal: '.private-notes',
    body: '.wiki',
  },
  // Every journal, with or without notes, lists its changes: `<strong>Status</strong> changed
  // from <i>New</i> to <i>Closed</i>`, the field named in the viewer's language.
  history: {
    item: '#history .journal',
    id: '@id',
    time: 'h4.note-header a[title] @title',
    change: 'ul.details li',
    field: 'strong',
    to: 'i:last-of-type',
    from: 'i:first-of-type:not(:last-of-type)',
    names: {
      status: ['Status', 'Statut', 'Estado', 'Stato', 'Situação', 'Статус', 'Stav', 'ステータス'],
      priority: [
        'Priority',
        'Priorität',
        'Priorité',
        'Prioridad',
        'Priorità',
        'Prioridade',
        'Prioriteit',
        'Приоритет',
        'Priorita',
        '優先度',
      ],
      assignee: [
        'Assignee',
        'Zugewiesen an',
        'Assigné à',
        'Asignado a',
        'Assegnato a',
        'Atribuído para',
        'Toegewezen aan',
        'Назначена',
      ],
    },
  },
  list: {
    urlPatterns: [
      'https://**/issues',
      'http://**/issues',
      'https://**/**/issues',
      'http://**/**/issues',
    ],
    row: 'table.list.issues tbody tr.issue',
    badgeAt: 'td.subject',
  },
  // Titles are written in the viewer's profile zone (the workspace's Redmine zone, else the
  // browser's) and in the page's language, each cross-checked with its relative text.
  localeFrom: 'html @lang',
  locale: 'en',
  dateFormats: REDMINE_DATE_FORMATS,
  // Redmine's default statuses and priorities; workspaces map their own custom ones.
  values: {
    status: {
      new: 'new',
      'in progress': 'open',
      feedback: 'pending_customer',
      resolved: 'solved',
      closed: 'closed',
      rejected: 'closed',
    },
    priority: { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent', immediate: 'urgent' },
  },
});

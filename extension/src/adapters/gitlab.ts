import { dataAdapter } from './engine';

// GitLab issues, on gitlab.com and self-managed instances (the /-/issues/ path is GitLab's own).
// The id is group/project/-/issues/number. Structure: tests/fixtures/gitlab/.
export const gitlab = dataAdapter({
  id: 'gitlab',
  name: 'GitLab issues',
  urlPattern: 'https://**/:id',
  idPattern: '[\\w.-]+(?:/[\\w.-]+)+/-/issues/\\d+',
  examples: {
    ticket: [
      'https://gitlab.com/acme/support/widgets/-/issues/17',
      'https://git.acme.internal/ops/helpdesk/-/issues/3?show=details',
    ],
    notTicket: [
      'https://gitlab.com/acme/support/widgets/-/issues',
      'https://gitlab.com/acme/support/widgets/-/merge_requests/17',
      'https://gitlab.com/acme/support/widgets/-/issues/new',
    ],
  },
  selectors: {
    subject: '[data-testid="work-item-title"] || h1.title',
    status: '[data-testid="work-item-state-badge"] || [data-testid="issue-state-badge"]',
    // Scoped labels ("priority::1") are how GitLab teams set priorities.
    priority: '[data-testid="work-item-labels"] .gl-label @data-label-title',
    requester: '[data-testid="work-item-author"] [data-username]',
    assignee: '[data-testid="work-item-assignees"] [data-username]',
    tags: '[data-testid="work-item-labels"] .gl-label @data-label-title',
    created: '[data-testid="work-item-created"] time @datetime',
    replyBox: '[data-testid="work-item-add-comment"] textarea',
  },
  messages: {
    item: '[data-testid="work-item-description"], #notes-list li.note:not(.system-note)',
    time: 'time @datetime',
    id: '@data-note-id',
    author: '[data-username]',
    // No agent marker on the page: anyone not in the workspace's agent list is a customer.
    authorship: 'not-agent',
    internal: '.internal-note',
  },
  list: {
    urlPatterns: ['https://**/**/-/issues'],
    row: 'ul.issues-list li.issue',
    badgeAt: '.issue-title',
  },
  values: {
    status: { Open: 'open', Closed: 'solved' },
    priority: {
      'priority::1': 'urgent',
      'priority::2': 'high',
      'priority::3': 'normal',
      'priority::4': 'low',
      'priority::critical': 'urgent',
      'priority::high': 'high',
      'priority::medium': 'normal',
      'priority::low': 'low',
    },
  },
  defaultPriority: 'normal',
});

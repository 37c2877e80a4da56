import { dataAdapter } from './engine';

// GitHub issues (github.com), the React issue view. The id is owner/repo/issues/number, since
// numbers repeat across repositories. Structure: tests/fixtures/github/.
export const github = dataAdapter({
  id: 'github',
  name: 'GitHub issues',
  urlPattern: 'https://github.com/:id',
  idPattern: '[\\w.-]+/[\\w.-]+/issues/\\d+',
  examples: {
    ticket: [
      'https://github.com/acme/widgets/issues/42',
      'https://github.com/acme/widgets/issues/42#issuecomment-1234567',
    ],
    notTicket: [
      'https://github.com/acme/widgets/issues',
      'https://github.com/acme/widgets/pull/42',
      'https://github.com/acme/widgets/issues/new',
    ],
  },
  selectors: {
    subject: '[data-testid="issue-title"]',
    status: '[data-testid="header-state"]',
    // Priorities are labels on GitHub ("priority: high", "P1"); the first one the map knows counts.
    priority: '[data-testid="sidebar-labels-section"] [data-testid="issue-label"]',
    requester: '[data-testid="issue-body-header-author"]',
    assignee: '[data-testid="sidebar-assignees-section"] [data-testid="assignee-login"]',
    tags: '[data-testid="sidebar-labels-section"] [data-testid="issue-label"]',
    created: '[data-testid="issue-body-header"] relative-time @datetime',
    replyBox: '[data-testid="markdown-editor-comment-composer"] textarea',
  },
  messages: {
    // The issue body is the requester's first message; comments follow.
    item: '[data-testid="issue-body"], [data-testid="issue-viewer-comments-container"] [data-testid="comment-viewer-outer-box"]',
    time: 'relative-time @datetime',
    id: '@data-comment-id',
    author: '[data-testid="avatar-link"] || [data-testid="issue-body-header-author"]',
    // No agent marker on the page: anyone not in the workspace's agent list is a customer.
    authorship: 'not-agent',
  },
  list: {
    urlPatterns: ['https://github.com/*/*/issues'],
    row: '[data-testid="list-view-item"]',
    badgeAt: '[data-testid="list-view-item-title-container"]',
  },
  values: {
    status: { Open: 'open', Closed: 'solved' },
    priority: {
      'priority: critical': 'urgent',
      'priority: high': 'high',
      'priority: medium': 'normal',
      'priority: low': 'low',
      P0: 'urgent',
      P1: 'high',
      P2: 'normal',
      P3: 'low',
    },
  },
  defaultPriority: 'normal',
});

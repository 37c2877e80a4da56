import { dataAdapter } from './engine';

// Jira Service Management (Cloud): the issue view, alone or open beside a queue. Structure:
// tests/fixtures/jira-service-management/ (data-testid hooks of Jira's issue view).
export const jiraServiceManagement = dataAdapter({
  id: 'jira-service-management',
  name: 'Jira Service Management',
  urlPattern: 'https://*.atlassian.net/browse/:id',
  alsoUrlPatterns: [
    'https://*.atlassian.net/jira/servicedesk/projects/*/queues/custom/*/:id',
    'https://*.atlassian.net/jira/servicedesk/projects/*/issues/:id',
  ],
  idPattern: '[A-Z][A-Z0-9_]+-\\d+',
  examples: {
    ticket: [
      'https://acme.atlassian.net/browse/SUP-1042',
      'https://acme.atlassian.net/jira/servicedesk/projects/SUP/queues/custom/3/SUP-1042',
      'https://acme.atlassian.net/jira/servicedesk/projects/IT/issues/IT-7?filter=allissues',
    ],
    notTicket: [
      'https://acme.atlassian.net/jira/servicedesk/projects/SUP/queues/custom/3',
      'https://acme.atlassian.net/browse/SUP',
      'https://acme.atlassian.net/servicedesk/customer/portal/1/SUP-1042',
    ],
  },
  selectors: {
    subject: '[data-testid="issue.views.issue-base.foundation.summary.heading"]',
    status: '[data-testid="issue.views.issue-base.foundation.status.status-field-wrapper"] button',
    priority: '[data-testid="issue.views.field.priority-inline-edit.read-view"]',
    requester:
      '[data-testid="issue.views.field.user.reporter"] [data-testid="issue.views.field.user.name"]',
    requesterOrg: '[data-testid="issue.views.field.organizations"] a',
    assignee:
      '[data-testid="issue.views.field.user.assignee"] [data-testid="issue.views.field.user.name"]',
    tags: '[data-testid="issue.views.field.labels"] a',
    created: '[data-testid="created-date"] time @datetime',
    replyBox:
      '[data-testid="issue-comment-base.ui.comment.add-comment-form"] [contenteditable="true"]',
  },
  messages: {
    item: '[data-testid="issue-comment-base.ui.comment.container"]',
    time: 'time @datetime',
    id: '@data-comment-id',
    author: '[data-testid="issue-comment-base.ui.comment.author"]',
    // No agent marker on the page: anyone not in the workspace's agent list is a customer.
    authorship: 'not-agent',
    internal: '[data-testid="issue-comment-base.ui.comment.internal-lozenge"]',
  },
  list: {
    urlPatterns: ['https://*.atlassian.net/jira/servicedesk/projects/*/queues/custom/*'],
    row: '[data-testid="servicedesk-queues-agent-view.layout.issue-table.row"]',
    badgeAt: '[data-testid="servicedesk-queues-agent-view.layout.issue-table.summary"]',
  },
  values: {
    status: {
      Open: 'new',
      'To Do': 'new',
      'Waiting for support': 'open',
      'In progress': 'open',
      Escalated: 'open',
      'Waiting for customer': 'pending_customer',
      Pending: 'on_hold',
      'Work in progress': 'open',
      Resolved: 'solved',
      Done: 'solved',
      Closed: 'closed',
      Canceled: 'closed',
    },
    priority: { Highest: 'urgent', High: 'high', Medium: 'normal', Low: 'low', Lowest: 'low' },
  },
});

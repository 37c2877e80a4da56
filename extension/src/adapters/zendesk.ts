import { dataAdapter } from './engine';

// Zendesk Support, agent workspace. Structure: tests/fixtures/zendesk/ (data-test-id hooks of the
// agent workspace, which Zendesk keeps stable for its own UI tests).
export const zendesk = dataAdapter({
  id: 'zendesk',
  name: 'Zendesk',
  urlPattern: 'https://*.zendesk.com/agent/tickets/:id',
  idPattern: '\\d+',
  examples: {
    ticket: [
      'https://acme.zendesk.com/agent/tickets/4821',
      'https://support-eu.zendesk.com/agent/tickets/17?ref=notification',
    ],
    notTicket: [
      'https://acme.zendesk.com/agent/filters/360001',
      'https://acme.zendesk.com/agent/tickets/new/1',
      'https://acme.zendesk.com/hc/en-us/requests/4821',
    ],
  },
  selectors: {
    subject: '[data-test-id="omni-header-subject"] @value',
    status: '[data-test-id="ticket-status-tag"]',
    priority: '[data-test-id="ticket-form-field-priority"] [data-test-id="ticket-field-value"]',
    requester:
      '[data-test-id="ticket-system-field-requester-select"] [data-test-id="ticket-field-value"]',
    requesterOrg:
      '[data-test-id="ticket-system-field-organization-select"] [data-test-id="ticket-field-value"]',
    assignee: '[data-test-id="assignee-field-selected-agent-tag"]',
    tags: '[data-test-id="ticket-fields-tags"] [data-garden-id="tags.tag_view"]',
    created:
      '[data-test-id="ticket-audit-log"] [data-test-id="omni-log-comment-item"] time @datetime',
    replyBox: '[data-test-id="omnicomposer-rich-text-ckeditor"]',
  },
  messages: {
    item: '[data-test-id="omni-log-comment-item"]',
    time: 'time @datetime',
    id: '@data-comment-id',
    author: '[data-test-id="omni-log-item-sender"]',
    // No agent marker on the page: anyone not in the workspace's agent list is a customer.
    authorship: 'not-agent',
    internal: '[data-test-id="omni-log-internal-note-tag"]',
  },
  list: {
    urlPatterns: ['https://*.zendesk.com/agent/filters/*', 'https://*.zendesk.com/agent/dashboard'],
    row: '[data-test-id="generic-table-row"]',
    badgeAt: '[data-test-id="generic-table-cells-subject"]',
  },
  values: {
    status: {
      New: 'new',
      Open: 'open',
      Pending: 'pending_customer',
      'On-hold': 'on_hold',
      Solved: 'solved',
      Closed: 'closed',
    },
    // "-" is a ticket with no priority set.
    priority: { Low: 'low', Normal: 'normal', High: 'high', Urgent: 'urgent', '-': 'normal' },
  },
});

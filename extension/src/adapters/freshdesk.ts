import { dataAdapter } from './engine';

// Freshdesk, the agent portal's ticket details page. Structure: tests/fixtures/freshdesk/.
export const freshdesk = dataAdapter({
  id: 'freshdesk',
  name: 'Freshdesk',
  urlPattern: 'https://*.freshdesk.com/a/tickets/:id',
  idPattern: '\\d+',
  examples: {
    ticket: [
      'https://acme.freshdesk.com/a/tickets/1532',
      'https://help-acme.freshdesk.com/a/tickets/9',
    ],
    notTicket: [
      'https://acme.freshdesk.com/a/tickets/filters/all_tickets',
      'https://acme.freshdesk.com/support/tickets/1532',
    ],
  },
  selectors: {
    subject: '[data-test-id="ticket-subject"]',
    status: '[data-test-id="ticket-properties-status"] .ember-power-select-selected-item',
    priority: '[data-test-id="ticket-properties-priority"] .ember-power-select-selected-item',
    requester: '[data-test-id="requester-info-name"]',
    requesterOrg: '[data-test-id="requester-info-company"]',
    assignee: '[data-test-id="ticket-properties-agent"] .ember-power-select-selected-item',
    tags: '[data-test-id="ticket-properties-tags"] .ember-power-select-multiple-option',
    // "Created 3 hours ago" on screen; the exact time is in the tooltip, in the viewer's zone.
    created: '[data-test-id="ticket-created-at"] @title',
    replyBox: '[data-test-id="reply-editor"] [contenteditable="true"]',
  },
  messages: {
    item: '[data-test-id="conversation-item"]',
    time: '[data-test-id="conversation-time"] @title',
    id: '@data-conversation-id',
    customer: '.conversation--requester',
    internal: '.conversation--private-note',
  },
  list: {
    urlPatterns: ['https://*.freshdesk.com/a/tickets/filters/*'],
    row: '[data-test-id="ticket-list-item"]',
    badgeAt: '[data-test-id="ticket-list-subject"]',
  },
  values: {
    status: {
      Open: 'open',
      Pending: 'pending_customer',
      'Waiting on Customer': 'pending_customer',
      'Waiting on Third Party': 'on_hold',
      Resolved: 'solved',
      Closed: 'closed',
    },
    priority: { Low: 'low', Medium: 'normal', High: 'high', Urgent: 'urgent' },
  },
});

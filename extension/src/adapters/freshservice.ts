import { dataAdapter } from './engine';

// Freshservice (ITSM), the agent view of a ticket or service request. Structure: tests/fixtures/freshservice/.
export const freshservice = dataAdapter({
  id: 'freshservice',
  name: 'Freshservice',
  urlPattern: 'https://*.freshservice.com/a/tickets/:id',
  alsoUrlPatterns: ['https://*.freshservice.com/helpdesk/tickets/:id'],
  idPattern: '\\d+',
  examples: {
    ticket: [
      'https://acme.freshservice.com/a/tickets/312',
      'https://acme.freshservice.com/helpdesk/tickets/312',
    ],
    notTicket: [
      'https://acme.freshservice.com/a/tickets?filter=my_open',
      'https://acme.freshservice.com/support/tickets/312',
    ],
  },
  selectors: {
    subject: '.ticket-details-header [data-test-ticket-subject]',
    status: '[data-test-field="status"] [data-test-selected-value]',
    priority: '[data-test-field="priority"] [data-test-selected-value]',
    requester: '[data-test-requester-name]',
    requesterOrg: '[data-test-requester-department]',
    assignee: '[data-test-field="responder_id"] [data-test-selected-value]',
    created: '.ticket-details-header time @datetime',
    replyBox: '.reply-editor [contenteditable="true"]',
  },
  messages: {
    item: '.ticket-conversation [data-test-conversation]',
    time: 'time @datetime',
    id: '@data-test-conversation',
    agent: '.conversation--agent',
    internal: '.conversation--private',
  },
  list: {
    urlPatterns: ['https://*.freshservice.com/a/tickets'],
    row: '[data-test-ticket-row]',
    badgeAt: '[data-test-ticket-row-subject]',
  },
  values: {
    status: {
      Open: 'open',
      Pending: 'pending_customer',
      'Awaiting Requester': 'pending_customer',
      'Awaiting Vendor': 'on_hold',
      Resolved: 'solved',
      Closed: 'closed',
    },
    priority: { Low: 'low', Medium: 'normal', High: 'high', Urgent: 'urgent' },
  },
});

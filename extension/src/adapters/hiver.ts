import { dataAdapter } from './engine';

// Hiver, a shared inbox inside Gmail: Gmail's conversation view with Hiver's sidebar. Gmail has no
// ticket list with links, so no list badges here. Structure: tests/fixtures/hiver/.
export const hiver = dataAdapter({
  id: 'hiver',
  name: 'Hiver (Gmail)',
  urlPattern: 'https://mail.google.com/mail/u/*/#**/:id',
  // Gmail thread ids; "#inbox/p2" (a page of the inbox) is not one.
  idPattern: '[A-Za-z0-9]{16,}',
  examples: {
    ticket: [
      'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWHLpqKkRbgsQlWCcHkKdjmN',
      'https://mail.google.com/mail/u/1/#label/Support/FMfcgzQXJWHLpqKkRbgsQlWCcHkKdjmN',
    ],
    notTicket: [
      'https://mail.google.com/mail/u/0/#inbox',
      'https://mail.google.com/mail/u/0/#inbox/p2',
      'https://mail.google.com/chat/u/0/#chat/home',
    ],
  },
  selectors: {
    subject: 'h2.hP',
    status: '.hiver-sidebar [data-hiver-field="status"]',
    // Hiver has no priority field; teams use tags such as "Urgent".
    priority: '.hiver-sidebar [data-hiver-field="tags"] .hiver-tag',
    requester: '.adn.ads:first-of-type .gD @email',
    assignee: '.hiver-sidebar [data-hiver-field="assignee"]',
    tags: '.hiver-sidebar [data-hiver-field="tags"] .hiver-tag',
    created: '.adn.ads:first-of-type .g3 @title',
    replyBox: 'div[aria-label="Message Body"][contenteditable="true"]',
  },
  messages: {
    item: '.adn.ads',
    time: '.g3 @title',
    id: '@data-message-id',
    author: '.gD @email',
    // No agent marker on the page: anyone not in the workspace's agent list is a customer.
    authorship: 'not-agent',
    // Hiver notes are shown in the thread, not sent: internal.
    internal: '.hiver-note',
  },
  values: {
    status: { Open: 'open', Pending: 'pending_customer', Closed: 'solved' },
    priority: { Urgent: 'urgent', 'High priority': 'high', 'Low priority': 'low' },
  },
  defaultPriority: 'normal',
});

import { dataAdapter } from './engine';

// Structure: Deskwatch's own Demo Desk (server/src/http/demo.ts), served with the server.
export const demoDesk = dataAdapter({
  id: 'demo-desk',
  name: 'Deskwatch Demo Desk',
  version: '3',
  urlPattern: 'http://**/demo/tickets/:id',
  alsoUrlPatterns: ['https://**/demo/tickets/:id'],
  idPattern: '\\d+',
  examples: {
    ticket: [
      'http://127.0.0.1:8787/demo/tickets/1',
      'https://deskwatch.example.com/demo/tickets/42',
    ],
    notTicket: [
      'http://127.0.0.1:8787/demo',
      'http://127.0.0.1:8787/demo/tickets/1/reply',
      'https://example.com/tickets/1',
    ],
  },
  selectors: {
    subject: 'article.ticket .ticket-subject',
    status: 'article.ticket [data-field="status"]',
    priority: 'article.ticket [data-field="priority"]',
    requester: 'article.ticket [data-field="requester"]',
    created: 'article.ticket [data-field="created"] time @datetime',
    replyBox: 'form.reply textarea[name="body"]',
  },
  messages: {
    item: 'article.ticket .thread .message',
    time: 'time @datetime',
    id: '@data-message-id',
    customer: '[data-author-kind="customer"]',
    internal: '[data-visibility="internal"]',
    body: '.body',
  },
  // Every status and priority change since creation, oldest first.
  history: {
    list: 'article.ticket ol.history',
    item: 'article.ticket ol.history li.change',
    id: '@data-change-id',
    time: 'time @datetime',
    field: '.field',
    from: '.from',
    to: '.to',
  },
  list: {
    urlPatterns: ['http://**/demo', 'https://**/demo'],
    row: 'table.ticket-list tbody tr',
    badgeAt: 'td:nth-child(2)',
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
    priority: { Urgent: 'urgent', High: 'high', Normal: 'normal', Low: 'low' },
  },
});

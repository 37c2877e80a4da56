import { dataAdapter } from './engine';

// Zammad (self-hosted or hosted), the desktop ticket zoom view; its routes are in the URL hash.
// Structure: tests/fixtures/zammad/.
export const zammad = dataAdapter({
  id: 'zammad',
  name: 'Zammad',
  urlPattern: 'https://**/#ticket/zoom/:id',
  alsoUrlPatterns: ['https://**/#ticket/zoom/:id/*'],
  idPattern: '\\d+',
  examples: {
    ticket: [
      'https://support.acme.com/#ticket/zoom/318',
      'https://acme.zammad.com/#ticket/zoom/318/1542',
    ],
    notTicket: [
      'https://support.acme.com/#ticket/view/my_assigned',
      'https://support.acme.com/#dashboard',
    ],
  },
  selectors: {
    subject: '.ticketZoom-header .ticket-title-update',
    status: '.sidebar select[name="state_id"] option:checked',
    priority: '.sidebar select[name="priority_id"] option:checked',
    requester: '.sidebar [data-tab="customer"] .user-name',
    requesterOrg: '.sidebar [data-tab="organization"] .organization-name',
    assignee: '.sidebar select[name="owner_id"] option:checked',
    tags: '.sidebar .tags .tag-name',
    created: '.ticketZoom-header .ticket-meta time @datetime',
    replyBox: '.article-add .richtext-content[contenteditable="true"]',
  },
  messages: {
    item: '.ticket-article .ticket-article-item',
    time: 'time @datetime',
    id: '@data-id',
    customer: '.ticket-article-item.customer',
    internal: '.ticket-article-item.is-internal',
  },
  list: {
    urlPatterns: ['https://**/#ticket/view/*'],
    row: '.table-overview tbody tr.item',
    badgeAt: 'td:nth-child(3)',
  },
  values: {
    status: {
      new: 'new',
      open: 'open',
      'pending reminder': 'on_hold',
      'pending close': 'pending_customer',
      closed: 'closed',
      merged: 'closed',
    },
    priority: { '1 low': 'low', '2 normal': 'normal', '3 high': 'high' },
  },
});

import type { Priority, StatusCategory, TicketSnapshotInput } from '@deskwatch/shared';
import { instant, mapValue, text } from './dom';
import { required, type Adapter, type ReadResult } from './types';

export const selectors = {
  ticket: 'article.ticket[data-ticket-id]',
  subject: '.ticket-subject',
  status: '[data-field="status"]',
  priority: '[data-field="priority"]',
  requester: '[data-field="requester"]',
  created: '[data-field="created"] time',
  message: '.thread .message',
  messageTime: 'time',
  replyBox: 'form.reply textarea[name="body"]',
};

const statusMap: Record<string, StatusCategory> = {
  new: 'new',
  open: 'open',
  pending: 'pending_customer',
  'on-hold': 'on_hold',
  solved: 'solved',
  closed: 'closed',
};
const priorityMap: Record<string, Priority> = {
  urgent: 'urgent',
  high: 'high',
  normal: 'normal',
  low: 'low',
};

export const demoDesk: Adapter = {
  id: 'demo-desk',
  name: 'Deskwatch Demo Desk',
  version: '1',
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
  isTicketPage: (url) => /^\/demo\/tickets\/\d+\/?$/.test(url.pathname),
  selectors,
  read(doc, url): ReadResult {
    const root = doc.querySelector(selectors.ticket);
    if (!root) return null;
    const externalId = root.getAttribute('data-ticket-id');
    const statusText = text(root, selectors.status);
    const statusCategory = mapValue(statusMap, statusText);
    const priority = mapValue(priorityMap, text(root, selectors.priority));
    const createdAt = instant(root, selectors.created);
    const r = required({ id: externalId, status: statusCategory, priority, created: createdAt });
    if (!r.ok) return { missing: r.missing };
    const messages = [...root.querySelectorAll(selectors.message)].flatMap((m) => {
      const at = instant(m, selectors.messageTime);
      const kind = m.getAttribute('data-author-kind');
      if (!at || (kind !== 'agent' && kind !== 'customer')) return [];
      const id = m.getAttribute('data-message-id');
      return [
        {
          ...(id ? { externalId: id } : {}),
          author: kind as 'agent' | 'customer',
          public: m.getAttribute('data-visibility') !== 'internal',
          at,
        },
      ];
    });
    const snapshot: TicketSnapshotInput = {
      source: 'demo-desk',
      externalId: r.v.id,
      url: url.href,
      subject: text(root, selectors.subject) ?? '',
      status: statusText ?? '',
      statusCategory: r.v.status,
      priority: r.v.priority,
      requester: text(root, selectors.requester) ?? '',
      createdAt: r.v.created,
      messages,
    };
    return { snapshot };
  },
};

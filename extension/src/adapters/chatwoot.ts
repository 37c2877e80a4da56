import { dataAdapter } from './engine';

// Chatwoot (cloud or self-hosted), a conversation in the agent dashboard. Conversations have no
// subject: the contact's name stands in. Structure: tests/fixtures/chatwoot/.
export const chatwoot = dataAdapter({
  id: 'chatwoot',
  name: 'Chatwoot',
  urlPattern: 'https://**/app/accounts/*/conversations/:id',
  alsoUrlPatterns: [
    'https://**/app/accounts/*/inbox/*/conversations/:id',
    'https://**/app/accounts/*/label/*/conversations/:id',
  ],
  idPattern: '\\d+',
  examples: {
    ticket: [
      'https://app.chatwoot.com/app/accounts/12/conversations/3345',
      'https://chat.acme.com/app/accounts/1/inbox/4/conversations/88',
    ],
    notTicket: [
      'https://app.chatwoot.com/app/accounts/12/dashboard',
      'https://app.chatwoot.com/app/accounts/12/contacts/3345',
    ],
  },
  selectors: {
    subject: '.conversation-header .user--name',
    status: '.conversation-header [data-status]  @data-status',
    priority: '.conversation-sidebar [data-priority] @data-priority',
    requester: '.contact--panel .contact--name',
    requesterOrg: '.contact--panel .contact--company',
    assignee: '.conversation-sidebar [data-assignee-name] @data-assignee-name',
    tags: '.conversation-sidebar .label-container .label',
    created: '.conversation-sidebar [data-created-at] @data-created-at',
    replyBox: '.reply-box .ProseMirror[contenteditable="true"]',
  },
  messages: {
    item: '.conversation-panel li[data-message-id]',
    time: '@data-created-at',
    id: '@data-message-id',
    customer: '.left',
    internal: '.is-private',
  },
  list: {
    urlPatterns: ['https://**/app/accounts/*/dashboard', 'https://**/app/accounts/*/inbox/*'],
    row: '.conversations-list .conversation',
    badgeAt: '.conversation--meta',
  },
  values: {
    status: { open: 'open', pending: 'new', snoozed: 'on_hold', resolved: 'solved' },
    priority: { urgent: 'urgent', high: 'high', medium: 'normal', low: 'low', none: 'normal' },
  },
  defaultPriority: 'normal',
});

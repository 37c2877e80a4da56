import { dataAdapter } from './engine';

// Help Scout, the conversation view of a mailbox. Structure: tests/fixtures/help-scout/.
export const helpScout = dataAdapter({
  id: 'help-scout',
  name: 'Help Scout',
  urlPattern: 'https://secure.helpscout.net/conversation/:id/*',
  alsoUrlPatterns: ['https://secure.helpscout.net/conversation/:id'],
  idPattern: '\\d+',
  examples: {
    ticket: [
      'https://secure.helpscout.net/conversation/2771234567/48213?folderId=7251',
      'https://secure.helpscout.net/conversation/2771234567',
    ],
    notTicket: [
      'https://secure.helpscout.net/mailbox/18a2c3d4e5f60718/7251/',
      'https://secure.helpscout.net/docs/',
    ],
  },
  selectors: {
    subject: '[data-cy="ConversationSubject"]',
    status: '[data-cy="StatusButton"] [data-cy="StatusLabel"]',
    // Help Scout has no priorities; tags carry them where a team uses them.
    priority: '[data-cy="ConversationTags"] [data-cy="Tag"]',
    requester: '[data-cy="CustomerName"]',
    requesterOrg: '[data-cy="CustomerCompany"]',
    assignee: '[data-cy="AssigneeButton"] [data-cy="AssigneeName"]',
    tags: '[data-cy="ConversationTags"] [data-cy="Tag"]',
    created: '[data-cy="ThreadList"] [data-cy="ThreadItem"]:first-child time @datetime',
    replyBox: '[data-cy="ReplyEditor"] [contenteditable="true"]',
  },
  messages: {
    item: '[data-cy="ThreadList"] [data-cy="ThreadItem"]',
    time: 'time @datetime',
    id: '@data-thread-id',
    customer: '.is-customer',
    internal: '.is-note',
  },
  list: {
    urlPatterns: ['https://secure.helpscout.net/mailbox/*/*'],
    row: '[data-cy="ConversationListRow"]',
    badgeAt: '[data-cy="ConversationListSubject"]',
  },
  values: {
    status: { Active: 'open', Pending: 'pending_customer', Closed: 'solved', Spam: 'closed' },
    priority: { urgent: 'urgent', 'high-priority': 'high', 'low-priority': 'low' },
  },
  defaultPriority: 'normal',
});

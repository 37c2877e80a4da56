import { dataAdapter } from './engine';

// ManageEngine ServiceDesk Plus: the cloud request details page and the on-premises one (also its
// older WorkOrder.do address). Structure: tests/fixtures/servicedesk-plus/.
export const servicedeskPlus = dataAdapter({
  id: 'servicedesk-plus',
  name: 'ManageEngine ServiceDesk Plus',
  urlPattern: 'https://sdpondemand.manageengine.**/app/*/ui/requests/:id/details',
  alsoUrlPatterns: [
    'https://**/ui/requests/:id/details',
    'https://**/WorkOrder.do?woMode=viewWO&woID=:id',
  ],
  idPattern: '\\d+',
  examples: {
    ticket: [
      'https://sdpondemand.manageengine.com/app/itdesk/ui/requests/118842000001234567/details',
      'https://sdpondemand.manageengine.eu/app/hr/ui/requests/42/details?tab=conversations',
      'https://servicedesk.acme.local:8080/ui/requests/1205/details',
      'https://servicedesk.acme.local:8080/WorkOrder.do?woMode=viewWO&woID=1205',
    ],
    notTicket: [
      'https://sdpondemand.manageengine.com/app/itdesk/ui/requests',
      'https://servicedesk.acme.local:8080/WOListView.do',
    ],
  },
  selectors: {
    subject: '#requestSubject || .req-subject',
    status: '[data-fieldname="status"] .field-value',
    priority: '[data-fieldname="priority"] .field-value',
    requester: '[data-fieldname="requester"] .requester-name',
    requesterOrg: '[data-fieldname="department"] .field-value',
    assignee: '[data-fieldname="technician"] .field-value',
    created: '[data-fieldname="created_time"] .field-value @data-value',
    replyBox: '#replyEditor [contenteditable="true"]',
  },
  messages: {
    item: '.conversation-list .conversation-item',
    time: '@data-time',
    id: '@data-id',
    customer: '.from-requester',
    internal: '.is-private-note',
  },
  list: {
    urlPatterns: [
      'https://sdpondemand.manageengine.**/app/*/ui/requests',
      'https://**/ui/requests',
    ],
    row: 'table.request-list tbody tr[data-request-id]',
    badgeAt: 'td.subject-cell',
  },
  values: {
    status: {
      Open: 'open',
      'In Progress': 'open',
      Assigned: 'open',
      'On Hold': 'on_hold',
      'Waiting for Requester': 'pending_customer',
      Resolved: 'solved',
      Closed: 'closed',
      Canceled: 'closed',
    },
    priority: { Low: 'low', Normal: 'normal', Medium: 'normal', High: 'high', Urgent: 'urgent' },
  },
  defaultPriority: 'normal',
});

import { dataAdapter } from './engine';

// ServiceNow incidents: the classic form (incident.do) and the Service Operations / Agent
// Workspace record page, whose form lives in open shadow roots. Structure: tests/fixtures/servicenow/.
export const servicenow = dataAdapter({
  id: 'servicenow',
  name: 'ServiceNow',
  urlPattern: 'https://*.service-now.com/incident.do?sys_id=:id',
  alsoUrlPatterns: [
    'https://*.service-now.com/now/sow/record/incident/:id',
    'https://*.service-now.com/now/workspace/agent/record/incident/:id',
  ],
  idPattern: '[0-9a-f]{32}',
  examples: {
    ticket: [
      'https://acme.service-now.com/incident.do?sys_id=9d385017c611228701d22104cc95c371',
      'https://acme.service-now.com/incident.do?sys_id=9d385017c611228701d22104cc95c371&sysparm_view=ess',
      'https://acme.service-now.com/now/sow/record/incident/9d385017c611228701d22104cc95c371',
      'https://acme.service-now.com/now/workspace/agent/record/incident/9d385017c611228701d22104cc95c371',
    ],
    notTicket: [
      'https://acme.service-now.com/incident_list.do?sysparm_query=active%3Dtrue',
      'https://acme.service-now.com/incident.do?sys_id=-1',
      'https://acme.service-now.com/now/sow/list/params/list-id/abc',
    ],
  },
  selectors: {
    subject:
      'input#incident\\.short_description @value || sn-form-field[name="short_description"] >>> input @value',
    status:
      'select#incident\\.state option[selected] || sn-form-field[name="state"] >>> [data-value-display]',
    priority:
      'select#incident\\.priority option[selected] || input#sys_readonly\\.incident\\.priority @value || sn-form-field[name="priority"] >>> [data-value-display]',
    requester:
      'input#sys_display\\.incident\\.caller_id @value || sn-form-field[name="caller_id"] >>> input @value',
    requesterOrg:
      'input#sys_display\\.incident\\.company @value || sn-form-field[name="company"] >>> input @value',
    assignee:
      'input#sys_display\\.incident\\.assigned_to @value || sn-form-field[name="assigned_to"] >>> input @value',
    // The instance writes times in the user's format and zone ("2026-11-30 09:12:44").
    created:
      'input#incident\\.opened_at @value || sn-form-field[name="opened_at"] >>> input @value',
    replyBox: 'textarea#activity-stream-comments-textarea',
  },
  messages: {
    item: 'ul.activities-form li.h-card || sn-activity-stream >>> li.activity-entry',
    time: '.date-calendar || time @datetime',
    timeFrom: 'text',
    author: '.sn-card-component-createdby || .activity-author',
    // No agent marker on the page: anyone not in the workspace's agent list is a customer.
    authorship: 'not-agent',
    internal: '[data-stream-entry-type="work_notes"] || .is-work-note',
  },
  list: {
    urlPatterns: ['https://*.service-now.com/incident_list.do'],
    row: 'table.list_table tbody tr.list_row',
    badgeAt: 'td.vt:nth-of-type(3)',
  },
  values: {
    status: {
      New: 'new',
      'In Progress': 'open',
      'On Hold': 'on_hold',
      'Awaiting Caller': 'pending_customer',
      Resolved: 'solved',
      Closed: 'closed',
      Canceled: 'closed',
    },
    priority: {
      '1 - Critical': 'urgent',
      '2 - High': 'high',
      '3 - Moderate': 'normal',
      '4 - Low': 'low',
      '5 - Planning': 'low',
    },
  },
  dateOrder: 'ymd',
});

import { describe, expect, it } from 'vitest';
import { adapterSpec } from '@deskwatch/shared';
import { messagesAt } from '../sla/form-model';
import {
  adapterFormIssues,
  emptyAdapterForm,
  fromForm,
  parseValueLines,
  toForm,
  type AdapterForm,
} from './adapter-form';

const spec = {
  id: 'acme-help',
  name: 'Acme Help',
  urlPattern: 'https://help.acme.test/cases/:id',
  alsoUrlPatterns: ['https://help.acme.test/queue/*/cases/:id'],
  examples: {
    ticket: ['https://help.acme.test/cases/77'],
    notTicket: ['https://help.acme.test/cases'],
  },
  selectors: {
    subject: '.case-title',
    status: '.badge.state',
    priority: '.badge.sev',
    requester: '.opener',
    created: '.opened-at',
    createdFrom: 'title' as const,
    tags: '.tag',
  },
  messages: { item: '.msg', time: 'time @datetime', customer: '.from-customer' },
  list: { urlPatterns: ['https://help.acme.test/cases'], row: 'tr.case' },
  values: {
    status: { 'Awaiting agent': 'open' as const, Done: 'solved' as const },
    priority: { P1: 'urgent' as const, P2: 'high' as const },
  },
  defaultPriority: 'normal' as const,
  dateOrder: 'dmy' as const,
  timeZone: 'Europe/Berlin',
  subjectPrefix: '#[0-9]+: ',
};
const edit = (f: AdapterForm, patch: Partial<AdapterForm>) => ({ ...f, ...patch });

describe('taught adapter form', () => {
  it('holds an adapter field by field and gives back what the server stores, parts without a field kept', () => {
    const form = toForm(spec);
    expect(form.statusValues).toBe('Awaiting agent = open\nDone = solved');
    expect(form.alsoUrlPatterns).toBe('https://help.acme.test/queue/*/cases/:id');
    expect(form.selectors.tags).toBe('.tag');
    expect(form.selectors.assignee).toBe('');
    expect(adapterFormIssues(form)).toEqual([]);
    expect(adapterSpec.parse(fromForm(form))).toEqual(adapterSpec.parse(spec));
  });

  it("checks as one types with the server's schema, by the field each message concerns", () => {
    const form = toForm(spec);
    const bad = edit(form, {
      urlPattern: 'https://help.acme.test/cases',
      selectors: { ...form.selectors, subject: '@' },
      statusValues: 'Awaiting agent = open\nDone = finished\nno meaning here',
      timeZone: 'Mars/Olympus',
    });
    const issues = adapterFormIssues(bad);
    expect(messagesAt(issues, ['urlPattern'])).toEqual([
      'a URL pattern starts with http(s):// and contains :id where the ticket id is',
    ]);
    expect(messagesAt(issues, ['selectors', 'subject'])).toEqual([
      'a selector is CSS, optionally followed by @attribute',
    ]);
    expect(messagesAt(issues, ['values', 'status']).join(' ')).toMatch(/Done|open|solved/);
    expect(messagesAt(issues, ['values', 'status'])).toContain(
      "line 3: write the tool's word = its meaning",
    );
    expect(messagesAt(issues, ['timeZone'])).toEqual([
      'a time zone is an IANA name like Europe/Berlin',
    ]);
    expect(messagesAt(issues, ['name'])).toEqual([]);
  });

  it('reports examples the URL patterns contradict, as the save procedure does', () => {
    const form = edit(toForm(spec), {
      notTicketExamples: 'https://help.acme.test/cases/78',
    });
    expect(messagesAt(adapterFormIssues(form), ['examples'])).toEqual([
      expect.stringContaining('should not be a ticket page but matches'),
    ]);
    // ...as soon as the URL parts read, before the selectors are filled in.
    const early = edit(emptyAdapterForm(), {
      urlPattern: form.urlPattern,
      ticketExamples: 'https://help.acme.test/cases/77\nhttps://help.acme.test/other/1',
    });
    expect(messagesAt(adapterFormIssues(early), ['examples'])).toEqual([
      expect.stringContaining('other/1 should be a ticket page but does not match'),
    ]);
  });

  it('leaves out optional fields left empty and needs the required ones', () => {
    const empty = emptyAdapterForm();
    const input = fromForm(empty);
    expect(input).not.toHaveProperty('timeZone');
    expect(input).not.toHaveProperty('list');
    expect(input.selectors).not.toHaveProperty('assignee');
    const issues = adapterFormIssues(empty);
    for (const path of [
      ['id'],
      ['name'],
      ['urlPattern'],
      ['examples', 'ticket'],
      ['selectors', 'subject'],
    ])
      expect(messagesAt(issues, path).length, path.join('.')).toBeGreaterThan(0);
  });

  it('reads value lines at their last equals sign', () => {
    expect(parseValueLines(' A = B = open \n\n= high\nP1')).toEqual({
      map: { 'A = B': 'open' },
      bad: [3, 4],
    });
  });
});

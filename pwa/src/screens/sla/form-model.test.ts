import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calendarSpec, defaultPolicy } from '@deskwatch/shared';
import {
  calendarIssues,
  messagesAt,
  move,
  openingNote,
  parseJsonAs,
  parseList,
  parseNumbers,
  schemaIssues,
} from './form-model';

describe('settings form helpers', () => {
  it('says an opening that ends before it starts runs overnight', () => {
    expect(openingNote({ start: '22:00', end: '06:00' })).toBe(
      'overnight, until 06:00 the next day',
    );
    expect(openingNote({ start: '18:00', end: '00:00' })).toBe('until midnight');
    expect(openingNote({ start: '09:00', end: '17:00' })).toBeNull();
    expect(openingNote({ start: '09:00', end: '09:00' })).toBeNull(); // the schema refuses it
  });

  it("puts the schema's messages at the field they concern", () => {
    const issues = schemaIssues(calendarSpec, {
      name: 'Office',
      timeZone: 'Mars/Base',
      hours: { mon: [{ start: '09:00', end: '25:00' }] },
    });
    expect(messagesAt(issues, ['timeZone'])).toEqual([
      'not an IANA time zone (like Europe/Amsterdam)',
    ]);
    expect(messagesAt(issues, ['hours', 'mon', 0])).toEqual(['a time is HH:MM, 00:00 to 24:00']);
    expect(messagesAt(issues, ['hours', 'tue'])).toEqual([]);
  });

  it('lists errors before warnings, each message once', () => {
    expect(
      messagesAt(
        [
          { severity: 'warning', path: ['a'], message: 'w' },
          { severity: 'error', path: ['a', 0], message: 'e' },
          { severity: 'error', path: ['a', 1], message: 'e' },
          { severity: 'error', path: ['b'], message: 'x' },
        ],
        ['a'],
      ),
    ).toEqual(['e', 'w']);
  });

  it('moves an item up, down or to where it was dropped, leaving the input as it was', () => {
    const list = ['a', 'b', 'c'];
    expect(move(list, 2, 0)).toEqual(['c', 'a', 'b']);
    expect(move(list, 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(list, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(list).toEqual(['a', 'b', 'c']);
  });

  it('reads typed lists: nothing typed means any', () => {
    expect(parseList(' vip, gold ,,')).toEqual(['vip', 'gold']);
    expect(parseList(' ')).toBeUndefined();
    expect(parseNumbers('50, 75, x')).toEqual([50, 75, 'x']);
  });

  it('says, at the week grid, that a calendar without hours breaks a policy that uses it', () => {
    const office = {
      name: 'Office',
      timeZone: 'UTC',
      hours: { mon: [{ start: '09:00', end: '17:00' }] },
    };
    const closed = { ...office, hours: {} };
    const uses = { ...defaultPolicy, calendarId: 'cal1' };
    const calendars = [{ id: 'cal1', spec: office }];
    expect(messagesAt(calendarIssues(closed, 'cal1', calendars, [uses]), ['hours'])).toEqual([
      'Policy "Standard": its calendar "cal1" has no business hours, so business-time clocks can never start',
    ]);
    // Nobody uses it, or it is new: nothing to say.
    expect(calendarIssues(closed, 'cal1', calendars, [defaultPolicy])).toEqual([]);
    expect(calendarIssues(closed, undefined, calendars, [uses])).toEqual([]);
    expect(calendarIssues(office, 'cal1', calendars, [uses])).toEqual([]);
  });
});

describe('parseJsonAs', () => {
  const schema = z.array(z.strictObject({ name: z.string().min(1) }));
  it('gives the data the schema reads', () => {
    expect(parseJsonAs(schema, '[{"name":"a"}]')).toEqual({ data: [{ name: 'a' }] });
  });
  it('says when the text is not JSON', () => {
    expect(parseJsonAs(schema, '[{')).toMatchObject({
      error: expect.stringMatching(/^Not valid JSON: /),
    });
  });
  it('names each issue by its path', () => {
    expect(parseJsonAs(schema, '[{"name":""},{"x":1}]')).toEqual({
      error: expect.stringMatching(/^0\.name: .+; 1: .+/),
    });
  });
});

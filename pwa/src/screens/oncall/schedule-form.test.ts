import { describe, expect, it } from 'vitest';
import { scheduleInput } from '@deskwatch/shared';
import { issuePlace, layerForm, move, newLayer, scheduleInputOf, turnOf } from './schedule-form';

describe('schedule form', () => {
  it('turns a custom rotation into the turn the server expects, and back', () => {
    const l = { ...newLayer('2026-03-02T09:00'), rotation: 'hours' as const, length: 12 };
    expect(turnOf(l)).toEqual({ hours: 12 });
    const input = scheduleInputOf({
      name: 'Follow the sun',
      timeZone: 'Asia/Tokyo',
      layers: [{ ...l, participants: ['ana', 'bo'] }],
    });
    const parsed = scheduleInput.parse(input);
    expect(layerForm(parsed.layers[0]!)).toMatchObject({
      rotation: 'hours',
      length: 12,
      start: '2026-03-02T09:00',
      participants: ['ana', 'bo'],
    });
  });

  it('moves a participant up or down without changing the list it was given', () => {
    const list = ['ana', 'bo', 'cy'];
    expect(move(list, 2, -1)).toEqual(['ana', 'cy', 'bo']);
    expect(move(list, 0, -1)).toBe(list);
    expect(list).toEqual(['ana', 'bo', 'cy']);
  });

  it('names where an issue lies in words', () => {
    expect(issuePlace(['layers', 1, 'participants'])).toBe('Layer 2, participants');
    expect(issuePlace(['layers', 0, 'restrictions', 2, 'end'])).toBe('Layer 1, window 3, end');
    expect(issuePlace(['timeZone'])).toBe('zone');
  });
});

import type { Layer, Restriction, ScheduleInput, TurnLength } from '@deskwatch/shared';

/** A layer as the editor holds it: the turn split into a kind and a length for custom turns. */
export interface LayerForm {
  id: string;
  name: string;
  /** `YYYY-MM-DDTHH:MM`: the first handoff, in the schedule's zone (a `datetime-local` value). */
  start: string;
  rotation: 'daily' | 'weekly' | 'days' | 'hours';
  /** Days or hours of a custom turn. */
  length: number;
  participants: string[];
  restrictions: Restriction[];
}

export interface ScheduleForm {
  id?: string;
  name: string;
  timeZone: string;
  layers: LayerForm[];
}

let seq = 0;
const layerId = () => `layer-${Date.now().toString(36)}-${(seq++).toString(36)}`;

export function newLayer(start: string): LayerForm {
  return {
    id: layerId(),
    name: 'Primary',
    start,
    rotation: 'weekly',
    length: 1,
    participants: [],
    restrictions: [],
  };
}

export function turnOf(l: LayerForm): TurnLength {
  if (l.rotation === 'days') return { days: l.length };
  if (l.rotation === 'hours') return { hours: l.length };
  return l.rotation;
}

export function layerForm(l: Layer): LayerForm {
  const t = l.turn;
  return {
    id: l.id,
    name: l.name,
    start: l.start.slice(0, 16),
    rotation: typeof t === 'string' ? t : 'days' in t ? 'days' : 'hours',
    length: typeof t === 'string' ? 1 : 'days' in t ? t.days : t.hours,
    participants: [...l.participants],
    restrictions: l.restrictions.map((r) => ({ ...r, days: [...r.days] })),
  };
}

/** What the editor sends: checked against the server's own schema before it goes. */
export function scheduleInputOf(f: ScheduleForm): ScheduleInput {
  return {
    ...(f.id ? { id: f.id } : {}),
    name: f.name,
    timeZone: f.timeZone,
    layers: f.layers.map((l) => ({
      id: l.id,
      name: l.name,
      start: l.start,
      turn: turnOf(l),
      participants: l.participants,
      restrictions: l.restrictions,
    })),
  };
}

/** Moves item `i` of a list one place up (-1) or down (+1); the list is not mutated. */
export function move<T>(list: T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  if (j < 0 || j >= list.length) return list;
  const out = [...list];
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}

/** Where an issue lies, in words: "Layer 2, participants". */
export function issuePlace(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const p = path[i];
    if (p === 'layers' && typeof path[i + 1] === 'number') {
      parts.push(`Layer ${(path[i + 1] as number) + 1}`);
      i++;
    } else if (p === 'restrictions' && typeof path[i + 1] === 'number') {
      parts.push(`window ${(path[i + 1] as number) + 1}`);
      i++;
    } else if (p === 'timeZone') parts.push('zone');
    else if (p === 'turn') parts.push('rotation');
    else if (typeof p === 'string') parts.push(p);
  }
  return parts.join(', ');
}

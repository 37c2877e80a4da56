export type RelativeRead =
  | {
      ok: true;
      /** The instant the text names, from `now` ("3 hours ago": now − 3 h). */
      at: number;
      /** The earliest and latest true times the text allows, given how tools round it. */
      earliest: number;
      latest: number;
    }
  | { ok: false; reason: string };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNITS = {
  second: SECOND,
  minute: MINUTE,
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 30 * DAY,
  year: 365 * DAY,
} as const;
type Unit = keyof typeof UNITS;

/** Unit words as tools write them (Rails' distance_of_time_in_words, Redmine's locales, Intl), lower case. */
const UNIT_WORDS: Record<string, Unit> = Object.fromEntries(
  (
    [
      [
        'second',
        'seconds',
        'sekunde',
        'sekunden',
        'seconde',
        'secondes',
        'seconden',
        'segundo',
        'segundos',
        'secondo',
        'secondi',
      ],
      ['minute', 'minutes', 'minuten', 'minuto', 'minutos', 'minuti', 'minuut', 'min', 'mins'],
      [
        'hour',
        'hours',
        'stunde',
        'stunden',
        'heure',
        'heures',
        'hora',
        'horas',
        'ora',
        'ore',
        'uur',
        'uren',
        'hr',
        'hrs',
      ],
      [
        'day',
        'days',
        'tag',
        'tage',
        'tagen',
        'jour',
        'jours',
        'día',
        'días',
        'dia',
        'dias',
        'giorno',
        'giorni',
        'dag',
        'dagen',
      ],
      [
        'week',
        'weeks',
        'woche',
        'wochen',
        'semaine',
        'semaines',
        'semana',
        'semanas',
        'settimana',
        'settimane',
        'weken',
      ],
      [
        'month',
        'months',
        'monat',
        'monate',
        'monaten',
        'mois',
        'mes',
        'meses',
        'mês',
        'mese',
        'mesi',
        'maand',
        'maanden',
      ],
      [
        'year',
        'years',
        'jahr',
        'jahre',
        'jahren',
        'an',
        'ans',
        'année',
        'années',
        'año',
        'años',
        'anno',
        'anni',
        'jaar',
        'jaren',
        'ano',
        'anos',
      ],
    ] as const
  ).flatMap((words, i) => words.map((w) => [w, Object.keys(UNITS)[i] as Unit])),
);

type Qualifier = 'about' | 'less' | 'over' | 'almost';
interface Language {
  /** The whole text, with named groups q (qualifier), n (count or article) and u (unit). */
  ago: RegExp;
  qualifiers: Record<string, Qualifier>;
  /** Articles meaning one ("an hour", "einer Stunde", "une heure"). */
  one: string[];
  yesterday: string[];
  now: string[];
}

const N = String.raw`(?<n>\d+|[\p{L}']+?)`;
const U = String.raw`(?<u>\p{L}+)`;
const q = (words: string[]) => `(?:(?<q>${words.join('|')})\\s*)?`;

const LANGUAGES: Record<string, Language> = {
  en: {
    ago: new RegExp(
      `^${q(['about', 'around', 'almost', 'nearly', 'over', 'more than', 'less than'])}${N}\\s+${U}\\s+ago$`,
      'u',
    ),
    qualifiers: {
      about: 'about',
      around: 'about',
      almost: 'almost',
      nearly: 'almost',
      over: 'over',
      'more than': 'over',
      'less than': 'less',
    },
    one: ['a', 'an', 'one'],
    yesterday: ['yesterday'],
    now: ['just now', 'now', 'a moment ago', 'moments ago', 'a few seconds ago'],
  },
  de: {
    ago: new RegExp(
      `^vor\\s+${q(['etwa', 'ungefähr', 'circa', 'ca\\.', 'fast', 'knapp', 'mehr als', 'über', 'weniger als'])}${N}\\s+${U}$`,
      'u',
    ),
    qualifiers: {
      etwa: 'about',
      ungefähr: 'about',
      circa: 'about',
      'ca.': 'about',
      fast: 'almost',
      knapp: 'almost',
      'mehr als': 'over',
      über: 'over',
      'weniger als': 'less',
    },
    one: ['einer', 'einem', 'eine', 'ein'],
    yesterday: ['gestern'],
    now: ['gerade eben', 'jetzt', 'soeben'],
  },
  fr: {
    ago: new RegExp(
      `^il y a\\s+${q(['environ', 'presque', "presqu'", 'près de', 'plus de', "plus d'", 'moins de', "moins d'"])}${N}\\s*${U}$`,
      'u',
    ),
    qualifiers: {
      environ: 'about',
      'près de': 'about',
      presque: 'almost',
      "presqu'": 'almost',
      'plus de': 'over',
      "plus d'": 'over',
      'moins de': 'less',
      "moins d'": 'less',
    },
    one: ['un', 'une'],
    yesterday: ['hier'],
    now: ["à l'instant", 'maintenant'],
  },
  es: {
    ago: new RegExp(
      `^hace\\s+${q(['alrededor de', 'aproximadamente', 'cerca de', 'unos', 'unas', 'casi', 'más de', 'menos de'])}${N}\\s+${U}$`,
      'u',
    ),
    qualifiers: {
      'alrededor de': 'about',
      aproximadamente: 'about',
      'cerca de': 'about',
      unos: 'about',
      unas: 'about',
      casi: 'almost',
      'más de': 'over',
      'menos de': 'less',
    },
    one: ['un', 'una', 'uno'],
    yesterday: ['ayer'],
    now: ['ahora', 'ahora mismo', 'justo ahora'],
  },
  it: {
    ago: new RegExp(
      `^${q(['circa', 'quasi', 'oltre', 'più di', 'meno di'])}${N}\\s*${U}\\s+fa$`,
      'u',
    ),
    qualifiers: {
      circa: 'about',
      quasi: 'almost',
      oltre: 'over',
      'più di': 'over',
      'meno di': 'less',
    },
    one: ['un', "un'", 'una', 'uno'],
    yesterday: ['ieri'],
    now: ['adesso', 'ora', 'proprio ora'],
  },
  nl: {
    ago: new RegExp(
      `^${q(['ongeveer', 'circa', 'bijna', 'ruim', 'meer dan', 'minder dan'])}${N}\\s+${U}\\s+geleden$`,
      'u',
    ),
    qualifiers: {
      ongeveer: 'about',
      circa: 'about',
      bijna: 'almost',
      ruim: 'over',
      'meer dan': 'over',
      'minder dan': 'less',
    },
    one: ['een', 'één'],
    yesterday: ['gisteren'],
    now: ['zojuist', 'nu', 'net'],
  },
  pt: {
    ago: new RegExp(
      `^(?:há\\s+)?${q(['aproximadamente', 'cerca de', 'quase', 'mais de', 'menos de'])}${N}\\s+${U}(?:\\s+atrás)?$`,
      'u',
    ),
    qualifiers: {
      aproximadamente: 'about',
      'cerca de': 'about',
      quase: 'almost',
      'mais de': 'over',
      'menos de': 'less',
    },
    one: ['um', 'uma'],
    yesterday: ['ontem'],
    now: ['agora', 'agora mesmo'],
  },
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const bares = new Map<Language, RegExp>();
/** A distance without its "ago" wording: qualifier, count, unit. */
function bare(L: Language): RegExp {
  let re = bares.get(L);
  if (!re) {
    re = new RegExp(`^${q(Object.keys(L.qualifiers).map(escape))}${N}\\s*${U}$`, 'u');
    bares.set(L, re);
  }
  return re;
}

/** Slack for the moment between the page writing the text and this read. */
const SLACK = MINUTE;

/**
 * Reads a relative time as tools write it beside (or instead of) an absolute one: "3 hours ago",
 * "about 3 hours ago", "vor etwa 3 Stunden", "il y a environ 3 heures", "hace 2 días",
 * "yesterday", in English or the locale's language. `earliest` and `latest` reflect the text's
 * rounding: "3 hours ago" is 2.5 to 4 hours before `now` (rounded or cut), "less than a minute
 * ago" under a minute, "yesterday" anywhere in the 48 hours before now (a minute's slack each
 * side). Only past times are read.
 * @example readRelative('about 3 hours ago', { now: Date.parse('2026-12-01T01:00:00Z') }) // { ok: true, at: Date.parse('2026-11-30T22:00:00Z'), earliest: Date.parse('2026-11-30T20:59:00Z'), latest: Date.parse('2026-11-30T22:31:00Z') }
 */
export function readRelative(
  text: string,
  ctx: {
    locale?: string | undefined;
    now: number;
    /** The text is a bare distance ("about 3 hours", "etwa 3 Stunden"), its "ago" outside it (Redmine's links). */
    distance?: boolean;
  },
): RelativeRead {
  const t = text.replace(/\s+/g, ' ').replace(/[.]$/, '').trim().toLowerCase().replace(/[’]/g, "'");
  const lang = ctx.locale?.split('-')[0]?.toLowerCase();
  const langs = [...new Set([...(lang && LANGUAGES[lang] ? [lang] : []), 'en'])];
  for (const l of ctx.locale ? langs : Object.keys(LANGUAGES)) {
    const L = LANGUAGES[l]!;
    if (L.now.includes(t))
      return { ok: true, at: ctx.now, earliest: ctx.now - 2 * MINUTE, latest: ctx.now + SLACK };
    if (L.yesterday.includes(t))
      return { ok: true, at: ctx.now - DAY, earliest: ctx.now - 2 * DAY, latest: ctx.now };
    const m = t.match(ctx.distance ? bare(L) : L.ago);
    if (!m?.groups) continue;
    const unit = UNIT_WORDS[m.groups.u!];
    const n = /^\d+$/.test(m.groups.n!)
      ? Number(m.groups.n)
      : L.one.includes(m.groups.n!)
        ? 1
        : null;
    if (!unit || n === null) continue;
    const size = UNITS[unit];
    const qualifier = m.groups.q ? L.qualifiers[m.groups.q] : undefined;
    // Tools round to the nearest unit (Rails, moment.js: "about 3 hours" is 2.5 to 3.5) or cut
    // (GitHub: "3 hours" is 3 to 4); a count is read as either, 2.5 to 4. "1 day" is 24 to 42
    // hours in Rails: a single unit spans 0 to 2.
    const [least, most] =
      qualifier === 'less'
        ? [0, n]
        : qualifier === 'over'
          ? [n, n + 1]
          : qualifier === 'almost'
            ? [n - 1, n]
            : n === 1 || unit === 'month' || unit === 'year'
              ? [0, n + 1]
              : [n - 0.5, n + 1];
    return {
      ok: true,
      at: ctx.now - n * size,
      earliest: ctx.now - most * size - SLACK,
      latest: ctx.now - least * size + SLACK,
    };
  }
  return {
    ok: false,
    reason: `\`${text.trim()}\` is not a relative time${ctx.locale ? ` in ${ctx.locale} or English` : ''}`,
  };
}

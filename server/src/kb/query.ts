import { stemmer } from 'stemmer';

// Turning a ticket into a search: the subject and the latest customer message, without what
// every message says (greetings, signatures, quoted replies), as stemmed terms.

/**
 * English function words and the words every support message has, which say nothing of its
 * topic: never topic terms (nor kept for the gap report), only weak words of a search.
 */
export const STOPWORDS = new Set(
  // Function words, but not those that carry a support meaning: "down", "out", "off", "up",
  // "back", "over" (the service is down, logged out, set up, get it back) and negations.
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing during each few for from further had has have having he her here hers him his ' +
    'how i if in into is it its itself just me more most my myself nor now of on once only or other our ours ' +
    'own same she should so some such than that the their theirs them then there these they this those through to too ' +
    'under until very was we were what when where which while who whom why will with would you your yours yourself us ' +
    "also get got getting still since yet already able i'm i've " +
    'hi hello hey dear thanks thank please regards best kind cheers team support help helpdesk issue problem question ' +
    'need needs want wants trying tried try anyone someone something somehow know let like just really thing things ' +
    'today yesterday tomorrow asap urgent urgently hope advance appreciate appreciated'
  ).split(' '),
);

/** The stopwords' stems: a stopword is matched by its stem, so "problems" is dropped as "problem" is. */
const STOP_STEMS = new Set([...STOPWORDS].map((w) => stemmer(w)));

/** Whether a word is a stopword, in any of its inflections ("problems", "questions", "helped"). */
export const isStopword = (w: string) =>
  STOPWORDS.has(w) || (/^[a-z]+$/.test(w) && STOP_STEMS.has(stemmer(w)));

/**
 * A negation ("not", "never", "can't", "doesn't"): it says how the topic goes, not what it is,
 * so it is a weak word of the search, never a topic term. A rule of English, not a word list
 * tuned to a set: every "-n't" form is one.
 */
export const isNegation = (w: string) =>
  /^(no|not|never|nothing|none|nobody|neither|nor|cannot)$/.test(w) || /n't$/.test(w);

/** A line that is only a greeting ("Hi team,", "Hello Anna!"), not a sentence that starts with one. */
const GREETING =
  /^(hi|hello|hey|dear|good (morning|afternoon|evening)|greetings)(\s+[\p{L}.'-]+){0,2}\s*[,!:.]?\s*$/iu;
const QUOTE_HEADER =
  /^(on .{4,120}wrote:|-{2,}\s*original message\s*-{2,}|from:\s.+|sent:\s.+|_{5,}|>.*)$/i;
const SIGN_OFF =
  /^(--\s*|(best|kind|warm|many)?\s*(regards|wishes|thanks|thank you|cheers)[,!.]*|(all the )?best[,!.]*|(yours )?(sincerely|truly|faithfully)[,!.]*|br[,.]?|sent from my .+|thanks( again)?[,!.]*|thank you[,!.]*)$/i;

/**
 * The part of a customer's message that says what they need: the greeting line, everything
 * from a quoted reply or a sign-off down, and blank lines are dropped.
 */
export function cleanMessage(text: string): string {
  const out: string[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (QUOTE_HEADER.test(line)) break;
    if (out.length > 0 && SIGN_OFF.test(line)) break;
    if (i === 0 || out.length === 0) if (GREETING.test(line)) continue;
    if (line) out.push(line);
  }
  return out.join('\n');
}

/** Words of a text, lower-cased, without stopwords, negations, numbers under three digits or one-letter words. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu) ?? [])
    .map((w) => w.replace(/['_-]+$/, '').replace(/'s$/, ''))
    .filter((w) => w.length > 1 && !isStopword(w) && !isNegation(w) && !/^\d{1,2}$/.test(w));
}

export const stem = (w: string) => (/^[a-z]+$/.test(w) ? stemmer(w) : w);

/**
 * The terms of a ticket's search: subject terms first (they say the most), then the cleaned
 * message's, stemmed and each once; every one of them (a long message is searched with all its
 * content, the budgets in suggest.ts decide what is matched), unless `max` is given. A
 * hyphenated word ("wi-fi", "x-ray") is searched as written (a phrase) and as its parts.
 */
export function ticketTerms(subject: string, message: string, max = Infinity): string[] {
  return topicTerms(subject, cleanMessage(message), max).terms;
}

/** A hyphenated word's parts worth searching alone: two letters or more, not stopwords. */
const partsOf = (w: string) =>
  w.includes('-') ? w.split('-').filter((p) => p.length > 1 && !isStopword(p)) : [];

/** `ticketTerms` of a message already cleaned, and the terms said more than once. */
function topicTerms(subject: string, cleaned: string, max = Infinity) {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const w of [...words(subject), ...words(cleaned)])
    for (const t of [w, ...partsOf(w)]) {
      const s = stem(t);
      seen.set(s, (seen.get(s) ?? 0) + 1);
      if (seen.get(s)! > 1 || out.length >= max) continue;
      out.push(t);
    }
  return { terms: out, often: out.filter((t) => seen.get(stem(t))! > 1) };
}

/** A text's words as the index splits them (runs of letters and digits), lower-cased. */
const tokens = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** A ticket's search, in three kinds of words. */
export interface TicketQuery {
  /** Its topic terms (`ticketTerms`): what an article must hold one of to be suggested. */
  terms: string[];
  /**
   * The topic terms the ticket says more than once (a long message repeats what it is about):
   * they count twice.
   */
  often: string[];
  /**
   * Two neighbouring words written as one ("user name" → "username", "log in" → "login"), in
   * case the knowledge base writes them so: searched like topic terms, dropped when no article
   * holds them.
   */
  compounds: string[];
  /**
   * Its other words: stopwords and support phrases ("how", "where", "not getting", "help").
   * They still say something ("where is my parcel" is about tracking) and count, but half as
   * much as a topic term, and only in articles that hold a topic term.
   */
  weak: string[];
}

/** The search for a ticket: its subject and the cleaned latest customer message. */
export function ticketQuery(subject: string, message: string): TicketQuery {
  const cleaned = cleanMessage(message);
  const text = `${subject}\n${cleaned}`;
  const { terms, often } = topicTerms(subject, cleaned);
  const seen = new Set(terms.map(stem));
  const compounds: string[] = [];
  for (const line of text.split('\n')) {
    const ws = tokens(line);
    for (let i = 1; i < ws.length && compounds.length < 16; i++) {
      const [a, b] = [ws[i - 1]!, ws[i]!];
      const joined = a + b;
      // Letters only, and never from a stopword's first part ("login" from "log in", never
      // "across" from "a cross" or "whereis"); suggest.ts keeps it only if the index holds it.
      const s = stem(joined);
      if (joined.length < 5 || !/^\p{L}+$/u.test(joined) || seen.has(s)) continue;
      if (isStopword(a) || isNegation(a)) continue;
      seen.add(s);
      compounds.push(joined);
    }
  }
  const weak = [...new Set(tokens(text))].filter((w) => !seen.has(stem(w))).slice(0, 32);
  return { terms, often, compounds, weak };
}

/**
 * A word as two, for a word the knowledge base does not hold but may write apart ("email" for
 * "e-mail", "startup" for "start-up"): every split whose second part has two letters or more and
 * whose parts are not stopwords (never "an other"), as FTS phrases ("e mail"). Only for words
 * of five letters or more; suggest.ts keeps those whose parts the index holds.
 */
export function splits(word: string): string[] {
  if (!/^[a-z]{5,}$/.test(word)) return [];
  return Array.from({ length: word.length - 2 }, (_, i) => [
    word.slice(0, i + 1),
    word.slice(i + 1),
  ])
    .filter((parts) => !parts.some(isStopword))
    .map((parts) => parts.join(' '));
}

/** What is kept of a ticket for the gap report: its subject's terms (never the message), at most 12. */
export const subjectTerms = (subject: string) => ticketTerms(subject, '').slice(0, 12);

/** An FTS5 query matching any of the terms; each is quoted, so nothing in them is FTS syntax. */
export function ftsQuery(terms: string[]): string | null {
  const safe = terms.map((t) => t.replace(/"/g, '').trim()).filter(Boolean);
  return safe.length ? safe.map((t) => `"${t}"`).join(' OR ') : null;
}

import { stemmer } from 'stemmer';

// Turning a ticket into a search: the subject and the latest customer message, without what
// every message says (greetings, signatures, quoted replies), as stemmed terms.

/** English function words and the words every support message has, which say nothing of its topic. */
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
    // "important" also because the index's Porter stemmer makes it "import" (data-import articles).
    'today yesterday tomorrow asap urgent urgently important hope advance appreciate appreciated'
  ).split(' '),
);

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

/** Words of a text, lower-cased, without stopwords, numbers under three digits or one-letter words. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu) ?? [])
    .map((w) => w.replace(/['_-]+$/, '').replace(/'s$/, ''))
    .filter((w) => w.length > 1 && !STOPWORDS.has(w) && !/^\d{1,2}$/.test(w));
}

export const stem = (w: string) => (/^[a-z]+$/.test(w) ? stemmer(w) : w);

/**
 * The terms of a ticket's search: subject terms first (they say the most), then the cleaned
 * message's, stemmed and each once, at most `max`.
 */
export function ticketTerms(subject: string, message: string, max = 24): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of [...words(subject), ...words(cleanMessage(message))]) {
    const s = stem(w);
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(w);
    if (out.length >= max) break;
  }
  return out;
}

/** What is kept of a ticket for the gap report: its subject's terms (never the message), at most 12. */
export const subjectTerms = (subject: string) => ticketTerms(subject, '').slice(0, 12);

/** An FTS5 query matching any of the terms; each is quoted, so nothing in them is FTS syntax. */
export function ftsQuery(terms: string[]): string | null {
  const safe = terms.map((t) => t.replace(/"/g, '').trim()).filter(Boolean);
  return safe.length ? safe.map((t) => `"${t}"`).join(' OR ') : null;
}

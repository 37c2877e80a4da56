// The public-set converters (bench/kb-eval/convert-*.ts) on small inline fixtures written in
// each set's format: the fetched data is never needed here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertCovidFaq } from '../../../bench/kb-eval/convert-covidfaq.js';
import { convertSemevalQl } from '../../../bench/kb-eval/convert-semevalql.js';
import { convertStackFaq } from '../../../bench/kb-eval/convert-stackfaq.js';
import { decodeXml, readSource, writeSet } from '../../../bench/kb-eval/public-set.js';
import { splitOf } from './relevance-metrics.js';

describe('StackFAQ converter', () => {
  const xml = `<?xml version="1.0"?><FAQs>
  <qapair><question>How do I  export my
    Gmail contacts?</question><answer>Go to Contacts &amp; choose Export.</answer>
    <answer>Or use Takeout.</answer>
    <rephr>export gmail address book</rephr><rephr>*</rephr><rephr>save contacts &lt;csv&gt;</rephr></qapair>
  <qapair><question>Can I undo send?</question><rephr>recall an e-mail</rephr></qapair>
</FAQs>`;

  it('makes each thread an article and each worded rephrasing a query of it, unit the thread', () => {
    const set = convertStackFaq(xml);
    expect(set.articles).toEqual([
      {
        id: 'stackfaq-t1',
        title: 'How do I export my Gmail contacts?',
        body: 'Go to Contacts & choose Export.\n\nOr use Takeout.',
      },
      // A thread without an answer keeps its question as body.
      { id: 'stackfaq-t2', title: 'Can I undo send?', body: 'Can I undo send?' },
    ]);
    // "*" has no word and is not written; the third rephrasing keeps its number (r3).
    expect(set.queries.map((q) => [q.id, q.subject, q.unit])).toEqual([
      ['stackfaq-t1-r1', 'export gmail address book', 'stackfaq-t1'],
      ['stackfaq-t1-r3', 'save contacts <csv>', 'stackfaq-t1'],
      ['stackfaq-t2-r1', 'recall an e-mail', 'stackfaq-t2'],
    ]);
    expect(set.qrels).toContainEqual({
      query: 'stackfaq-t1-r3',
      article: 'stackfaq-t1',
      relevance: 2,
    });
    expect(set.qrels).toHaveLength(3);
  });
});

describe('CovidFAQ converter', () => {
  const row = (id: number, query_type: string, question: string, answer: string, label = 1) => ({
    id,
    label,
    query_type,
    question,
    answer,
  });
  const json = JSON.stringify([
    row(1, 'faq', 'What is COVID-19?', 'A new  coronavirus disease.'),
    row(2, 'user_query', 'what is corona', 'A new coronavirus disease.'),
    row(3, 'user_query', 'can my dog get it', 'Pets rarely catch it. Keep distance.'),
    row(4, 'user_query', '???', 'A new coronavirus disease.'),
    row(5, 'user_query', 'is it the flu', 'A new coronavirus disease.', 0),
    row(6, 'faq', 'Is it like flu?', 'A new coronavirus disease.'),
  ]);

  it("makes each distinct answer an article titled by its FAQ questions, people's questions its queries", () => {
    const set = convertCovidFaq(json);
    expect(set.articles).toEqual([
      {
        id: 'covidfaq-a1',
        title: 'What is COVID-19? / Is it like flu?',
        body: 'A new coronavirus disease.',
      },
      // No FAQ row of its own: titled by its first sentence.
      {
        id: 'covidfaq-a2',
        title: 'Pets rarely catch it.',
        body: 'Pets rarely catch it. Keep distance.',
      },
    ]);
    // No word ("???") or a negative label: not written.
    expect(set.queries.map((q) => [q.id, q.unit])).toEqual([
      ['covidfaq-q2', 'covidfaq-a1'],
      ['covidfaq-q3', 'covidfaq-a2'],
    ]);
    expect(set.qrels).toEqual([
      { query: 'covidfaq-q2', article: 'covidfaq-a1', relevance: 2 },
      { query: 'covidfaq-q3', article: 'covidfaq-a2', relevance: 2 },
    ]);
  });

  it("refuses a file that is not the set's format", () => {
    expect(() => convertCovidFaq('[{"question": "x"}]')).toThrow();
  });
});

describe('SemEval-2016 Qatar Living converter', () => {
  const thread = (
    org: string,
    rel: string,
    judged: string,
    relSubject: string,
    relBody: string,
  ) => `
  <OrgQuestion ORGQ_ID="${org}">
    <OrgQSubject>Driving licence</OrgQSubject><OrgQBody>How do I convert my licence &amp; what does it cost?</OrgQBody>
    <Thread THREAD_SEQUENCE="${rel}">
      <RelQuestion RELQ_ID="${rel}" RELQ_RANKING_ORDER="1" RELQ_CATEGORY="Qatar Living" RELQ_RELEVANCE2ORGQ="${judged}">
        <RelQSubject>${relSubject}</RelQSubject><RelQBody>${relBody}</RelQBody>
      </RelQuestion>
      <RelComment RELC_ID="${rel}_C1"><RelCText>a comment, not part of the article</RelCText></RelComment>
    </Thread>
  </OrgQuestion>`;
  const xml = `<root>${[
    thread('Q1', 'Q1_R1', 'PerfectMatch', 'Licence transfer', 'UK licence to Qatari one?'),
    thread('Q1', 'Q1_R2', 'Relevant', 'Driving school', ''),
    thread('Q1', 'Q1_R3', 'Irrelevant', 'Best biryani', 'Where?'),
  ].join('')}</root>`;

  it('makes related questions articles, the original its query, judged 2, 1 or not at all', () => {
    const set = convertSemevalQl(xml);
    expect(set.articles).toEqual([
      { id: 'semevalql-Q1_R1', title: 'Licence transfer', body: 'UK licence to Qatari one?' },
      // An empty body takes the subject: every article has both.
      { id: 'semevalql-Q1_R2', title: 'Driving school', body: 'Driving school' },
      { id: 'semevalql-Q1_R3', title: 'Best biryani', body: 'Where?' },
    ]);
    expect(set.queries).toEqual([
      {
        id: 'semevalql-Q1',
        subject: 'Driving licence',
        body: 'How do I convert my licence & what does it cost?',
        unit: 'semevalql-Q1',
      },
    ]);
    expect(set.qrels).toEqual([
      { query: 'semevalql-Q1', article: 'semevalql-Q1_R1', relevance: 2 },
      { query: 'semevalql-Q1', article: 'semevalql-Q1_R2', relevance: 1 },
    ]);
  });
});

describe('what the converters share', () => {
  it('decode XML entities once, "&amp;" last', () => {
    expect(decodeXml('a &lt;b&gt; &amp;lt; &#233; &quot;q&quot;')).toBe('a <b> &lt; é "q"');
  });

  it('read a file from a checkout, or from a bare git copy at a commit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskwatch-convert-'));
    try {
      mkdirSync(join(dir, 'work/data'), { recursive: true });
      writeFileSync(join(dir, 'work/data/f.txt'), 'from the tree');
      expect(readSource(join(dir, 'work'), 'data/f.txt')).toBe('from the tree');
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', join(dir, 'work'), ...args], { encoding: 'utf8' });
      git('init', '-q');
      git('add', '.');
      git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'f');
      execFileSync('git', ['clone', '-q', '--bare', join(dir, 'work'), join(dir, 'bare.git')]);
      expect(readSource(join(dir, 'bare.git'), 'data/f.txt')).toBe('from the tree');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("write the runner's three files, and the split keeps one unit's queries together", () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskwatch-convert-'));
    try {
      const set = convertStackFaq(
        '<qapair><question>Q?</question><rephr>one</rephr><rephr>two</rephr></qapair>',
      );
      expect(writeSet(dir, set)).toMatch(/^1 articles, 2 queries, 2 judgements -> /);
      const lines = readFileSync(join(dir, 'queries.jsonl'), 'utf8').trim().split('\n');
      const halves = lines.map((l) => splitOf((JSON.parse(l) as { unit: string }).unit));
      expect(new Set(halves).size).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

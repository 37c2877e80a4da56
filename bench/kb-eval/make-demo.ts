// Writes the demo evaluation sets (bench/kb-eval/demo*/*.jsonl) from the demo knowledge base and
// the hand-written queries in demo/queries.src.tsv and demo-tickets/tickets.src.txt. Run: node --import tsx bench/kb-eval/make-demo.ts
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoArticles } from '../../server/src/kb/demo-kb.js';

const dir = join(import.meta.dirname, 'demo');
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const articles = demoArticles().map((a) => ({ id: a.sourceKey, title: a.title, body: a.body }));
const ids = new Set(articles.map((a) => a.id));
const queries: { id: string; subject: string; body: string }[] = [];
const qrels: { query: string; article: string; relevance: number }[] = [];
for (const [i, line] of readFileSync(join(dir, 'queries.src.tsv'), 'utf8')
  .trim()
  .split('\n')
  .entries()) {
  const [article, subject, body] = line.split('\t');
  if (!article || !subject || body === undefined)
    throw new Error(`line ${i + 1}: three tab-separated fields`);
  if (!ids.has(article)) throw new Error(`line ${i + 1}: no article ${article}`);
  const id = `q${String(i + 1).padStart(3, '0')}`;
  queries.push({ id, subject, body });
  qrels.push({ query: id, article, relevance: 2 });
}
writeFileSync(join(dir, 'articles.jsonl'), jsonl(articles));
writeFileSync(join(dir, 'queries.jsonl'), jsonl(queries));
writeFileSync(join(dir, 'qrels.jsonl'), jsonl(qrels));

// The same queries as a help desk receives them: the customer's words inside a greeting, a
// sign-off, a signature (with a phone number, a company, sometimes a confidentiality notice)
// and, in every other message, the quoted acknowledgement or earlier reply of the thread. The
// parts rotate by the query's number, so the set is fixed and each part is used evenly.
const GREETINGS = ['Hi,', 'Hello team,', 'Good morning,', 'Hi Support,', 'Dear Acme support,', ''];
const SIGN_OFFS = ['Thanks,', 'Kind regards,', 'Best,', 'Cheers,', 'Thank you!', '--'];
const SIGNATURES = [
  'Maria Lopez\nOffice Manager | Northwind Traders\nTel +44 20 7946 0958 | www.northwind.example',
  'Tom\n\nSent from my iPhone',
  'Priya Natarajan\nFinance Team, Contoso Ltd\n+1 (555) 010-4477\nCONFIDENTIALITY NOTICE: This e-mail and any attachments are intended only for the addressee and may contain confidential information. If you received it in error, please notify the sender and delete it.',
  'J. Okafor | IT coordinator | Fabrikam Logistics | 12 Harbour Road, Leeds',
  'Sam\nCustomer since 2019, account #88412',
];
const QUOTES = [
  'On Tue, 24 Nov 2026 at 09:12, Acme Support <support@acme.example> wrote:\n> Thanks for contacting Acme Support. Your request #48213 has been received.\n> An agent will reply within one business day. You can add details by replying to this e-mail.',
  '-----Original Message-----\nFrom: Acme Service Desk <help@acme.example>\nSent: Monday, November 23, 2026 4:05 PM\nSubject: Your ticket has been updated\n\nHello, we are still looking into your request and will update you as soon as we know more. Please reply with screenshots if the issue changes. Rated our support? Leave feedback in the portal.',
];
const received = queries.map((q, i) => {
  const parts = [
    GREETINGS[i % GREETINGS.length],
    q.body,
    `${SIGN_OFFS[i % SIGN_OFFS.length]}\n${SIGNATURES[i % SIGNATURES.length]}`,
    i % 2 ? QUOTES[(i >> 1) % QUOTES.length] : '',
  ];
  return { ...q, body: parts.filter(Boolean).join('\n\n') };
});
const receivedDir = join(import.meta.dirname, 'demo-received');
mkdirSync(receivedDir, { recursive: true });
writeFileSync(join(receivedDir, 'articles.jsonl'), jsonl(articles));
writeFileSync(join(receivedDir, 'queries.jsonl'), jsonl(received));
writeFileSync(join(receivedDir, 'qrels.jsonl'), jsonl(qrels));

// The held-out tickets (demo-tickets/tickets.src.txt): one per article, written as tickets
// arrive, before any engine was run on them. A line is `article[+also relevant] | subject |
// message`, with `\n` for a line break in the message.
const ticketsDir = join(import.meta.dirname, 'demo-tickets');
const tickets: typeof queries = [];
const ticketRels: typeof qrels = [];
for (const [i, line] of readFileSync(join(ticketsDir, 'tickets.src.txt'), 'utf8')
  .trim()
  .split('\n')
  .entries()) {
  const m = /^(\S+) \| (.+?) \| (.*)$/.exec(line);
  if (!m) throw new Error(`tickets line ${i + 1}: article | subject | message`);
  const id = `t${String(i + 1).padStart(3, '0')}`;
  for (const [n, article] of m[1]!.split('+').entries()) {
    if (!ids.has(article)) throw new Error(`tickets line ${i + 1}: no article ${article}`);
    ticketRels.push({ query: id, article, relevance: n === 0 ? 2 : 1 });
  }
  tickets.push({ id, subject: m[2]!, body: m[3]!.replace(/\\n/g, '\n') });
}
writeFileSync(join(ticketsDir, 'articles.jsonl'), jsonl(articles));
writeFileSync(join(ticketsDir, 'queries.jsonl'), jsonl(tickets));
writeFileSync(join(ticketsDir, 'qrels.jsonl'), jsonl(ticketRels));
console.log(
  `${articles.length} articles, ${queries.length} queries (and as received), ${tickets.length} held-out tickets`,
);

// Relevance of knowledge-base suggestions on the demo evaluation sets (bench/kb-eval/demo-tickets,
// held out: one ticket per article as tickets arrive; demo, the customer's words alone; and
// demo-received, those inside greetings, signatures and quoted threads):
// the shipped engine against plain FTS5 bm25(), in the same run. Prints figures; never fails on them.
import { join } from 'node:path';
import { evaluate, report } from './kb-eval/run.js';

for (const [set, note] of [
  ['demo-tickets', 'held out: one ticket per article, written as tickets arrive, before any run'],
  ['demo', "as written: subject and the customer's words"],
  ['demo-received', 'as received: the same inside greetings, signatures and quoted threads'],
]) {
  console.log(`${set} (${note})`);
  console.log(report(await evaluate(join(import.meta.dirname, 'kb-eval', set!))));
}

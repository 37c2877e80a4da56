// Relevance of knowledge-base suggestions on the demo evaluation sets (bench/kb-eval/demo-tickets,
// held out: one ticket per article as tickets arrive; demo, the customer's words alone; and
// demo-received, those inside greetings, signatures and quoted threads), then on the held-out
// half of each public set converted into bench/kb-eval/public/ (third-party data, never
// committed; a set not converted is named and skipped): the shipped engine against plain FTS5
// bm25() and Porter title-weighted BM25, in the same run. Prints figures; never fails on them.
import { join } from 'node:path';
import { evaluate, report } from './kb-eval/run.js';
import { isConverted, PUBLIC_DIR, PUBLIC_SETS } from './kb-eval/public-set.js';

for (const [set, note] of [
  ['demo-tickets', 'held out: one ticket per article, written as tickets arrive, before any run'],
  ['demo', "as written: subject and the customer's words"],
  ['demo-received', 'as received: the same inside greetings, signatures and quoted threads'],
]) {
  console.log(`${set} (${note})`);
  console.log(report(await evaluate(join(import.meta.dirname, 'kb-eval', set!))));
}

for (const set of PUBLIC_SETS) {
  const dir = join(PUBLIC_DIR, set.name);
  if (!isConverted(dir)) {
    console.log(
      `${set.name}: not found in bench/kb-eval/public/, skipped (node --import tsx bench/kb-eval/${set.convert})`,
    );
    continue;
  }
  console.log(`${set.name} (${set.note}; held-out half only)`);
  console.log(report(await evaluate(dir, { split: 'heldout' })));
}

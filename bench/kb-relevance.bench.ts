// Relevance of knowledge-base suggestions on the demo evaluation set (bench/kb-eval/demo):
// the shipped engine against plain FTS5 bm25(), in the same run. Prints figures; never fails on them.
import { join } from 'node:path';
import { evaluate, report } from './kb-eval/run.js';

console.log(report(await evaluate(join(import.meta.dirname, 'kb-eval/demo'))));

-- The search index's vocabulary: each stemmed term and how many articles hold it (SQLite's
-- fts5vocab over kb_fts, read-only, always in step with the index). Written by hand: drizzle-kit
-- does not model virtual tables. The suggestion engine reads the common terms' counts from it in
-- one pass, at start and after imports, instead of counting each term on first sight.
CREATE VIRTUAL TABLE `kb_vocab` USING fts5vocab(`kb_fts`, 'row');

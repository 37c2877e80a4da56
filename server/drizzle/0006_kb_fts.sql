-- Full-text search over knowledge-base articles (SQLite FTS5, BM25 ranking), written by hand:
-- drizzle-kit does not model virtual tables or triggers, and never rewrites a custom migration.
-- The index is an external-content table over kb_articles; the triggers keep it in step inside
-- the same transaction as every insert, update and delete of an article.
CREATE VIRTUAL TABLE `kb_fts` USING fts5(
	title, body, tags,
	content='kb_articles', content_rowid='rowid',
	tokenize='porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `kb_articles_fts_insert` AFTER INSERT ON `kb_articles` BEGIN
	INSERT INTO kb_fts(rowid, title, body, tags) VALUES (new.rowid, new.title, new.body, new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `kb_articles_fts_delete` AFTER DELETE ON `kb_articles` BEGIN
	INSERT INTO kb_fts(kb_fts, rowid, title, body, tags) VALUES ('delete', old.rowid, old.title, old.body, old.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `kb_articles_fts_update` AFTER UPDATE OF title, body, tags ON `kb_articles` BEGIN
	INSERT INTO kb_fts(kb_fts, rowid, title, body, tags) VALUES ('delete', old.rowid, old.title, old.body, old.tags);
	INSERT INTO kb_fts(rowid, title, body, tags) VALUES (new.rowid, new.title, new.body, new.tags);
END;

CREATE TABLE `kb_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`generation` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `kb_articles_workspace_title` ON `kb_articles` (`workspace_id`,`title`);
--> statement-breakpoint
-- Written by hand below: the row, and the triggers that bump it on every write to an article
-- (in the writing transaction, so a search that sees the new article sees the new generation).
INSERT INTO `kb_changes` (`id`, `generation`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `kb_changes_ai` AFTER INSERT ON `kb_articles` BEGIN
	UPDATE `kb_changes` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `kb_changes_ad` AFTER DELETE ON `kb_articles` BEGIN
	UPDATE `kb_changes` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `kb_changes_au` AFTER UPDATE ON `kb_articles` BEGIN
	UPDATE `kb_changes` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;

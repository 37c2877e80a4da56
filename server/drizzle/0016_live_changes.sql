CREATE TABLE `live_changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `live_changes_at` ON `live_changes` (`at`);--> statement-breakpoint
-- Written by hand below: the triggers that log every write to an escalation, in the writing
-- transaction, so another instance's feed cannot see the escalation change without its row.
CREATE TRIGGER `live_changes_escalations_ai` AFTER INSERT ON `escalations` BEGIN
	INSERT INTO `live_changes` (`workspace_id`, `ticket_id`, `at`) VALUES (NEW.`workspace_id`, NEW.`ticket_id`, NEW.`updated_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `live_changes_escalations_au` AFTER UPDATE ON `escalations` BEGIN
	INSERT INTO `live_changes` (`workspace_id`, `ticket_id`, `at`) VALUES (NEW.`workspace_id`, NEW.`ticket_id`, NEW.`updated_at`);
END;

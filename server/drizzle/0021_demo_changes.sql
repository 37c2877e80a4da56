CREATE TABLE `demo_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`field` text NOT NULL,
	`from` text NOT NULL,
	`to` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `demo_tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `demo_changes_ticket` ON `demo_changes` (`ticket_id`,`at`);--> statement-breakpoint
ALTER TABLE `demo_tickets` ADD `history_known` integer DEFAULT false NOT NULL;
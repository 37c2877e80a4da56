CREATE TABLE `taught_adapters` (
	`workspace_id` text NOT NULL,
	`id` text NOT NULL,
	`spec_json` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);

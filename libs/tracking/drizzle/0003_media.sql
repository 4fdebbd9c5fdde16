CREATE TABLE `media` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`artifact_id` integer NOT NULL,
	`key` text NOT NULL,
	`step` integer NOT NULL,
	`epoch` integer,
	`mime` text NOT NULL,
	`caption` text,
	`bytes` integer NOT NULL,
	`meta` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`artifact_id`) REFERENCES `artifacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `media_run_key_step_idx` ON `media` (`run_id`,`key`,`step`);
CREATE TABLE `metric_rollups` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`level` integer NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	`first_step` integer NOT NULL,
	`last_step` integer NOT NULL,
	`min_value` real,
	`min_step` integer,
	`min_epoch` integer,
	`min_wall` integer,
	`max_value` real,
	`max_step` integer,
	`max_epoch` integer,
	`max_wall` integer,
	PRIMARY KEY(`run_id`, `key`, `level`, `bucket`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `metrics_special_idx` ON `metrics` (`run_id`,`key`,`step`) WHERE flag != 0 OR value = 0;
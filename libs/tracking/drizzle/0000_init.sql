CREATE TABLE `anomalies` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`rule` text NOT NULL,
	`severity` text NOT NULL,
	`first_step` integer,
	`evidence` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `anomalies_run_idx` ON `anomalies` (`run_id`,`rule`);--> statement-breakpoint
CREATE INDEX `anomalies_rule_idx` ON `anomalies` (`rule`,`run_id`);--> statement-breakpoint
CREATE TABLE `artifacts` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text,
	`path` text NOT NULL,
	`sha256` text,
	`bytes` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `artifacts_run_idx` ON `artifacts` (`run_id`);--> statement-breakpoint
CREATE TABLE `experiments` (
	`name` text PRIMARY KEY NOT NULL,
	`description` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ingest_file_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`file_id` integer NOT NULL,
	`sha256` text,
	`raw_text` text,
	`run_id` text,
	`seen_at` integer NOT NULL,
	FOREIGN KEY (`file_id`) REFERENCES `ingest_files`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ingest_file_versions_file_idx` ON `ingest_file_versions` (`file_id`);--> statement-breakpoint
CREATE TABLE `ingest_files` (
	`id` integer PRIMARY KEY NOT NULL,
	`path` text NOT NULL,
	`dir` text NOT NULL,
	`rel_path` text NOT NULL,
	`sha256` text,
	`bytes` integer,
	`mtime` integer,
	`outcome` text NOT NULL,
	`reason` text,
	`byte_offset` integer,
	`format` text,
	`run_id` text,
	`duplicate_of_file_id` integer,
	`raw_text` text,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ingest_files_path_idx` ON `ingest_files` (`path`);--> statement-breakpoint
CREATE INDEX `ingest_files_sha_idx` ON `ingest_files` (`sha256`);--> statement-breakpoint
CREATE INDEX `ingest_files_run_idx` ON `ingest_files` (`run_id`);--> statement-breakpoint
CREATE TABLE `metrics` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`step` integer NOT NULL,
	`epoch` integer,
	`wall_time` integer NOT NULL,
	`value` real,
	`flag` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `metrics_run_key_step_idx` ON `metrics` (`run_id`,`key`,`step`);--> statement-breakpoint
CREATE TABLE `model_aliases` (
	`model` text NOT NULL,
	`alias` text NOT NULL,
	`version_id` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`model`, `alias`),
	FOREIGN KEY (`model`) REFERENCES `registered_models`(`name`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`version_id`) REFERENCES `model_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `model_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`model` text NOT NULL,
	`version` integer NOT NULL,
	`run_id` text,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`artifact_path` text,
	`sha256` text,
	`gate_report` text,
	`metrics` text,
	`raw` text,
	`created_at` integer NOT NULL,
	`created_by` text,
	FOREIGN KEY (`model`) REFERENCES `registered_models`(`name`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_versions_model_version_idx` ON `model_versions` (`model`,`version`);--> statement-breakpoint
CREATE INDEX `model_versions_run_idx` ON `model_versions` (`run_id`);--> statement-breakpoint
CREATE TABLE `registered_models` (
	`name` text PRIMARY KEY NOT NULL,
	`description` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `registry_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`model` text NOT NULL,
	`alias` text,
	`action` text NOT NULL,
	`from_version_id` integer,
	`to_version_id` integer,
	`by` text,
	`reason` text,
	`note` text,
	`forced` integer DEFAULT false NOT NULL,
	`gate_report` text,
	`published` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `registry_events_model_idx` ON `registry_events` (`model`,`at`);--> statement-breakpoint
CREATE TABLE `run_params` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`value_type` text NOT NULL,
	PRIMARY KEY(`run_id`, `key`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `run_params_key_idx` ON `run_params` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`experiment` text NOT NULL,
	`name` text,
	`status` text NOT NULL,
	`source` text DEFAULT 'live' NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`duration_s` real,
	`git_commit` text,
	`hardware` text,
	`backend` text,
	`host` text,
	`system` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`notes` text,
	`error_type` text,
	`error_message` text,
	`error_stack` text,
	`heartbeat_at` integer,
	`pid` integer,
	`config` text DEFAULT '{}' NOT NULL,
	`content_hash` text,
	`source_missing` integer DEFAULT false NOT NULL,
	`summary` text,
	FOREIGN KEY (`experiment`) REFERENCES `experiments`(`name`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `runs_started_idx` ON `runs` (`started_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_experiment_started_idx` ON `runs` (`experiment`,`started_at`);--> statement-breakpoint
CREATE INDEX `runs_status_idx` ON `runs` (`status`);--> statement-breakpoint
CREATE INDEX `runs_content_hash_idx` ON `runs` (`content_hash`);--> statement-breakpoint
CREATE TABLE `watchers` (
	`id` integer PRIMARY KEY NOT NULL,
	`dir` text NOT NULL,
	`pid` integer,
	`host` text,
	`started_at` integer NOT NULL,
	`heartbeat_at` integer,
	`last_scan_at` integer,
	`stopped_at` integer
);

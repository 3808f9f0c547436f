CREATE TABLE `event_consumption` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`consumer` text(128) NOT NULL,
	`event_id` text(64) NOT NULL,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `event_consumption_consumer_event_uq` ON `event_consumption` (`consumer`,`event_id`);--> statement-breakpoint
CREATE TABLE `event_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text(64) NOT NULL,
	`name` text(128) NOT NULL,
	`payload` text NOT NULL,
	`aggregate` text(128),
	`status` text(16) DEFAULT 'PENDING' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text(1000),
	`claimed_time` integer,
	`sent_time` integer,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `event_outbox_event_id_uq` ON `event_outbox` (`event_id`);--> statement-breakpoint
CREATE INDEX `event_outbox_status_idx` ON `event_outbox` (`status`,`id`);
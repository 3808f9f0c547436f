CREATE TABLE `sys_plugin` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text(64) NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_plugin_name_unique` ON `sys_plugin` (`name`);--> statement-breakpoint
CREATE TABLE `sys_notice` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text(64) NOT NULL,
	`type` integer NOT NULL,
	`status` integer NOT NULL,
	`content` text NOT NULL,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE INDEX `sys_notice_created_time_idx` ON `sys_notice` (`created_time`);
CREATE TABLE `sys_config` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text(32) NOT NULL,
	`type` text(32),
	`key` text(64) NOT NULL,
	`value` text NOT NULL,
	`is_frontend` integer DEFAULT false NOT NULL,
	`remark` text,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_config_key_unique` ON `sys_config` (`key`);--> statement-breakpoint
CREATE INDEX `sys_config_type_idx` ON `sys_config` (`type`);--> statement-breakpoint
CREATE TABLE `sys_dict_data` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type_code` text(32) NOT NULL,
	`label` text(32) NOT NULL,
	`value` text(32) NOT NULL,
	`color` text(32),
	`sort` integer DEFAULT 0 NOT NULL,
	`status` integer DEFAULT 1 NOT NULL,
	`remark` text,
	`type_id` integer NOT NULL,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer,
	FOREIGN KEY (`type_id`) REFERENCES `sys_dict_type`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_dict_data_type_label_unique` ON `sys_dict_data` (`type_id`,`label`);--> statement-breakpoint
CREATE INDEX `sys_dict_data_type_code_idx` ON `sys_dict_data` (`type_code`);--> statement-breakpoint
CREATE TABLE `sys_dict_type` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text(32) NOT NULL,
	`code` text(32) NOT NULL,
	`remark` text,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_dict_type_code_unique` ON `sys_dict_type` (`code`);
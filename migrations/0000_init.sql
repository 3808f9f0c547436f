CREATE TABLE `sys_data_rule` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text(512) NOT NULL,
	`model` text(64) NOT NULL,
	`column` text(32) NOT NULL,
	`operator` integer NOT NULL,
	`expression` integer NOT NULL,
	`value` text(256) NOT NULL,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_data_rule_name_unique` ON `sys_data_rule` (`name`);--> statement-breakpoint
CREATE TABLE `sys_data_scope` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text(64) NOT NULL,
	`status` integer DEFAULT 1 NOT NULL,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_data_scope_name_unique` ON `sys_data_scope` (`name`);--> statement-breakpoint
CREATE TABLE `sys_data_scope_rule` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`data_scope_id` integer NOT NULL,
	`data_rule_id` integer NOT NULL,
	FOREIGN KEY (`data_scope_id`) REFERENCES `sys_data_scope`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`data_rule_id`) REFERENCES `sys_data_rule`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_data_scope_rule_data_scope_id_data_rule_id_unique` ON `sys_data_scope_rule` (`data_scope_id`,`data_rule_id`);--> statement-breakpoint
CREATE INDEX `sys_data_scope_rule_data_rule_id_idx` ON `sys_data_scope_rule` (`data_rule_id`);--> statement-breakpoint
CREATE TABLE `sys_dept` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text(64) NOT NULL,
	`sort` integer DEFAULT 0 NOT NULL,
	`leader` text(32),
	`phone` text(11),
	`email` text(64),
	`status` integer DEFAULT 1 NOT NULL,
	`del_flag` integer DEFAULT false NOT NULL,
	`parent_id` integer,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_dept_name_unique` ON `sys_dept` (`name`) WHERE del_flag = 0;--> statement-breakpoint
CREATE INDEX `sys_dept_parent_id_idx` ON `sys_dept` (`parent_id`);--> statement-breakpoint
CREATE TABLE `sys_login_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_uuid` text(64) NOT NULL,
	`username` text(64) NOT NULL,
	`status` integer DEFAULT 0 NOT NULL,
	`ip` text(64) NOT NULL,
	`country` text(64),
	`region` text(64),
	`city` text(64),
	`user_agent` text(512),
	`os` text(64),
	`browser` text(64),
	`device` text(64),
	`msg` text NOT NULL,
	`login_time` integer NOT NULL,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sys_login_log_created_time_idx` ON `sys_login_log` (`created_time`);--> statement-breakpoint
CREATE TABLE `sys_opera_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trace_id` text(32) NOT NULL,
	`username` text(64),
	`method` text(32) NOT NULL,
	`title` text(256) NOT NULL,
	`path` text(512) NOT NULL,
	`ip` text(64) NOT NULL,
	`country` text(64),
	`region` text(64),
	`city` text(64),
	`user_agent` text(512),
	`os` text(64),
	`browser` text(64),
	`device` text(64),
	`args` text,
	`status` integer NOT NULL,
	`code` text(32) DEFAULT '200' NOT NULL,
	`msg` text,
	`cost_time` real DEFAULT 0 NOT NULL,
	`opera_time` integer NOT NULL,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sys_opera_log_created_time_idx` ON `sys_opera_log` (`created_time`);--> statement-breakpoint
CREATE TABLE `sys_menu` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text(64) NOT NULL,
	`name` text(64) NOT NULL,
	`path` text(200),
	`sort` integer DEFAULT 0 NOT NULL,
	`icon` text(128),
	`type` integer DEFAULT 0 NOT NULL,
	`component` text(256),
	`perms` text(128),
	`status` integer DEFAULT 1 NOT NULL,
	`display` integer DEFAULT 1 NOT NULL,
	`cache` integer DEFAULT 1 NOT NULL,
	`link` text,
	`remark` text,
	`parent_id` integer,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_menu_title_unique` ON `sys_menu` (`title`) WHERE type != 2;--> statement-breakpoint
CREATE INDEX `sys_menu_parent_id_idx` ON `sys_menu` (`parent_id`);--> statement-breakpoint
CREATE TABLE `sys_role` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text(32) NOT NULL,
	`status` integer DEFAULT 1 NOT NULL,
	`is_filter_scopes` integer DEFAULT true NOT NULL,
	`remark` text,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_role_name_unique` ON `sys_role` (`name`);--> statement-breakpoint
CREATE TABLE `sys_role_data_scope` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`role_id` integer NOT NULL,
	`data_scope_id` integer NOT NULL,
	FOREIGN KEY (`role_id`) REFERENCES `sys_role`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`data_scope_id`) REFERENCES `sys_data_scope`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_role_data_scope_role_id_data_scope_id_unique` ON `sys_role_data_scope` (`role_id`,`data_scope_id`);--> statement-breakpoint
CREATE INDEX `sys_role_data_scope_data_scope_id_idx` ON `sys_role_data_scope` (`data_scope_id`);--> statement-breakpoint
CREATE TABLE `sys_role_menu` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`role_id` integer NOT NULL,
	`menu_id` integer NOT NULL,
	FOREIGN KEY (`role_id`) REFERENCES `sys_role`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`menu_id`) REFERENCES `sys_menu`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_role_menu_role_id_menu_id_unique` ON `sys_role_menu` (`role_id`,`menu_id`);--> statement-breakpoint
CREATE INDEX `sys_role_menu_menu_id_idx` ON `sys_role_menu` (`menu_id`);--> statement-breakpoint
CREATE TABLE `sys_user` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uuid` text(64) NOT NULL,
	`username` text(64) NOT NULL,
	`nickname` text(64) NOT NULL,
	`password` text(256),
	`email` text(256),
	`phone` text(11),
	`avatar` text(256),
	`status` integer DEFAULT 1 NOT NULL,
	`is_superuser` integer DEFAULT false NOT NULL,
	`is_staff` integer DEFAULT false NOT NULL,
	`is_multi_login` integer DEFAULT false NOT NULL,
	`join_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`last_login_time` integer,
	`last_password_changed_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)),
	`dept_id` integer,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_user_uuid_unique` ON `sys_user` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `sys_user_username_unique` ON `sys_user` (`username`);--> statement-breakpoint
CREATE UNIQUE INDEX `sys_user_email_unique` ON `sys_user` (`email`);--> statement-breakpoint
CREATE INDEX `sys_user_status_idx` ON `sys_user` (`status`);--> statement-breakpoint
CREATE INDEX `sys_user_dept_id_idx` ON `sys_user` (`dept_id`);--> statement-breakpoint
CREATE TABLE `sys_user_password_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`password` text(256) NOT NULL,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `sys_user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sys_user_password_history_user_id_idx` ON `sys_user_password_history` (`user_id`);--> statement-breakpoint
CREATE TABLE `sys_user_role` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`role_id` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `sys_user`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`role_id`) REFERENCES `sys_role`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_user_role_user_id_role_id_unique` ON `sys_user_role` (`user_id`,`role_id`);--> statement-breakpoint
CREATE INDEX `sys_user_role_role_id_idx` ON `sys_user_role` (`role_id`);
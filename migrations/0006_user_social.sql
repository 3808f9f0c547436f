CREATE TABLE `sys_user_social` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sid` text(256) NOT NULL,
	`source` text(32) NOT NULL,
	`user_id` integer NOT NULL,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer,
	FOREIGN KEY (`user_id`) REFERENCES `sys_user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sys_user_social_source_sid_unique` ON `sys_user_social` (`source`,`sid`);--> statement-breakpoint
CREATE UNIQUE INDEX `sys_user_social_user_id_source_unique` ON `sys_user_social` (`user_id`,`source`);--> statement-breakpoint
CREATE INDEX `sys_user_social_user_id_idx` ON `sys_user_social` (`user_id`);
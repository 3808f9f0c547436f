CREATE TABLE `task_result` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` text(155) NOT NULL,
	`status` text(64) DEFAULT 'PENDING' NOT NULL,
	`result` text,
	`date_done` integer,
	`traceback` text,
	`name` text(155),
	`args` text,
	`kwargs` text,
	`worker` text(155),
	`retries` integer,
	`queue` text(155),
	`message_id` text(155),
	`progress` integer,
	`progress_msg` text(512),
	`scheduler_id` integer,
	`started_time` integer,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `task_result_task_id_uq` ON `task_result` (`task_id`);--> statement-breakpoint
CREATE INDEX `task_result_name_status_idx` ON `task_result` (`name`,`status`);--> statement-breakpoint
CREATE INDEX `task_result_created_time_idx` ON `task_result` (`created_time`);--> statement-breakpoint
CREATE TABLE `task_scheduler` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text(64) NOT NULL,
	`task` text(256) NOT NULL,
	`args` text,
	`kwargs` text,
	`queue` text(256),
	`exchange` text(256),
	`routing_key` text(256),
	`start_time` integer,
	`expire_time` integer,
	`expire_seconds` integer,
	`type` integer NOT NULL,
	`interval_every` integer,
	`interval_period` text(256),
	`crontab` text(64) DEFAULT '* * * * *',
	`one_off` integer DEFAULT false NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`total_run_count` integer DEFAULT 0 NOT NULL,
	`last_run_time` integer,
	`remark` text,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `task_scheduler_name_uq` ON `task_scheduler` (`name`);
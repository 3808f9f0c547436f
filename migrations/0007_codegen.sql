CREATE TABLE `gen_business` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`app_name` text(64) NOT NULL,
	`table_name` text(256) NOT NULL,
	`doc_comment` text(256) NOT NULL,
	`table_comment` text(256),
	`class_name` text(64),
	`schema_name` text(64),
	`filename` text(64),
	`datetime_mixin` integer DEFAULT true NOT NULL,
	`api_version` text(32) DEFAULT 'v1' NOT NULL,
	`tag` text(64),
	`gen_path` text(256),
	`remark` text,
	`created_time` integer DEFAULT (cast((julianday('now') - 2440587.5) * 86400000 as integer)) NOT NULL,
	`updated_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gen_business_table_name_unique` ON `gen_business` (`table_name`);--> statement-breakpoint
CREATE TABLE `gen_column` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text(64) NOT NULL,
	`comment` text(256),
	`type` text(32) DEFAULT 'VARCHAR' NOT NULL,
	`pd_type` text(32) DEFAULT 'str' NOT NULL,
	`default` text,
	`sort` integer DEFAULT 1,
	`length` integer DEFAULT 0 NOT NULL,
	`is_pk` integer DEFAULT false NOT NULL,
	`is_nullable` integer DEFAULT false NOT NULL,
	`gen_business_id` integer NOT NULL,
	FOREIGN KEY (`gen_business_id`) REFERENCES `gen_business`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gen_column_business_name_unique` ON `gen_column` (`gen_business_id`,`name`);--> statement-breakpoint
CREATE INDEX `gen_column_business_sort_idx` ON `gen_column` (`gen_business_id`,`sort`);
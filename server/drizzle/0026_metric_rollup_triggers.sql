-- Metric rollups (issue #18): every write that can change a ticket's metric points marks the
-- ticket (or, for policies and calendars, its workspace) for the rollups to derive again,
-- whatever the path (observations, connectors, imports, repairs, seeds).
CREATE TRIGGER `metric_dirty_event_insert` AFTER INSERT ON `ticket_events` BEGIN
  INSERT INTO `metric_dirty` (`ticket_id`, `workspace_id`, `mark`) VALUES (NEW.`ticket_id`, NEW.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`ticket_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_dirty_event_update` AFTER UPDATE ON `ticket_events` BEGIN
  INSERT INTO `metric_dirty` (`ticket_id`, `workspace_id`, `mark`) VALUES (NEW.`ticket_id`, NEW.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`ticket_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_dirty_event_delete` AFTER DELETE ON `ticket_events` BEGIN
  INSERT INTO `metric_dirty` (`ticket_id`, `workspace_id`, `mark`) VALUES (OLD.`ticket_id`, OLD.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`ticket_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_dirty_ticket_insert` AFTER INSERT ON `tickets` BEGIN
  INSERT INTO `metric_dirty` (`ticket_id`, `workspace_id`, `mark`) VALUES (NEW.`id`, NEW.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`ticket_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_dirty_ticket_update` AFTER UPDATE ON `tickets`
  WHEN OLD.`source` IS NOT NEW.`source` OR OLD.`priority` IS NOT NEW.`priority` OR OLD.`category` IS NOT NEW.`category`
    OR OLD.`tags` IS NOT NEW.`tags` OR OLD.`assignee` IS NOT NEW.`assignee` OR OLD.`requester_org` IS NOT NEW.`requester_org`
    OR OLD.`created_at` IS NOT NEW.`created_at` OR OLD.`status_known_from` IS NOT NEW.`status_known_from`
BEGIN
  INSERT INTO `metric_dirty` (`ticket_id`, `workspace_id`, `mark`) VALUES (NEW.`id`, NEW.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`ticket_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_dirty_ticket_delete` AFTER DELETE ON `tickets` BEGIN
  INSERT INTO `metric_dirty` (`ticket_id`, `workspace_id`, `mark`) VALUES (OLD.`id`, OLD.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`ticket_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_rebuild_policy_insert` AFTER INSERT ON `sla_policies` BEGIN
  INSERT INTO `metric_rebuild` (`workspace_id`, `mark`) VALUES (NEW.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`workspace_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_rebuild_policy_update` AFTER UPDATE ON `sla_policies` BEGIN
  INSERT INTO `metric_rebuild` (`workspace_id`, `mark`) VALUES (NEW.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`workspace_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_rebuild_policy_delete` AFTER DELETE ON `sla_policies` BEGIN
  INSERT INTO `metric_rebuild` (`workspace_id`, `mark`) VALUES (OLD.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`workspace_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_rebuild_calendar_insert` AFTER INSERT ON `calendars` BEGIN
  INSERT INTO `metric_rebuild` (`workspace_id`, `mark`) VALUES (NEW.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`workspace_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_rebuild_calendar_update` AFTER UPDATE ON `calendars` BEGIN
  INSERT INTO `metric_rebuild` (`workspace_id`, `mark`) VALUES (NEW.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`workspace_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
CREATE TRIGGER `metric_rebuild_calendar_delete` AFTER DELETE ON `calendars` BEGIN
  INSERT INTO `metric_rebuild` (`workspace_id`, `mark`) VALUES (OLD.`workspace_id`, (random() % 9007199254740991))
    ON CONFLICT (`workspace_id`) DO UPDATE SET `mark` = excluded.`mark`;
END;
--> statement-breakpoint
-- Tickets already stored: derived on the first glance.
INSERT INTO `metric_rebuild` (`workspace_id`, `mark`) SELECT DISTINCT `workspace_id`, (random() % 9007199254740991) FROM `tickets`;

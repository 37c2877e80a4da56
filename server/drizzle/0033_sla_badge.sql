ALTER TABLE `ticket_sla` ADD `badge_json` text;--> statement-breakpoint
-- Backfill: each stored state's badge, the target chosen as `badgeTarget` (src/services/sla-badge.ts)
-- chooses it: running clocks by due instant (unknown last), else paused ones by time left, else the
-- first breached, else the last; ties in the targets' order. sla-badge.test.ts keeps the two equal.
UPDATE `ticket_sla` SET `badge_json` = (
  SELECT json_patch(
    json_object(
      'metric', v ->> '$.metric',
      'status', v ->> '$.status',
      'breached', json(CASE WHEN v ->> '$.breached' THEN 'true' ELSE 'false' END),
      'clock', v ->> '$.clock',
      'dueAt', json(v -> '$.dueAt'),
      'remainingMs', json(v -> '$.remainingMs'),
      'targetMs', json(v -> '$.targetMs'),
      'computedAt', json(`ticket_sla`.`state_json` -> '$.computedAt')
    ),
    json_object('outcomeUnknown', CASE WHEN v ->> '$.outcomeUnknown' THEN json('true') END)
  )
  FROM (
    SELECT j.key AS k, j.value AS v,
      CASE
        WHEN j.value ->> '$.stoppedAt' IS NULL AND j.value ->> '$.status' <> 'paused' THEN 0
        WHEN j.value ->> '$.stoppedAt' IS NULL THEN 1
        WHEN j.value ->> '$.breached' THEN 2
        ELSE 3
      END AS g
    FROM json_each(`ticket_sla`.`state_json`, '$.targets') j
  )
  ORDER BY g,
    CASE g WHEN 0 THEN coalesce(v ->> '$.dueAt', 9e18) WHEN 1 THEN v ->> '$.remainingMs' ELSE 0 END,
    CASE WHEN g = 3 THEN -k ELSE k END
  LIMIT 1
);

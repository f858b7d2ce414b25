import { accountActiveSql } from '@headwaters/identity';
import { recipientMayKnowSql } from './notice-authorizer';

/**
 * Event types nobody is told of: a vote is a reaction, not news (GitHub does not notify of
 * reactions either). They still reach live listeners and webhooks.
 */
export const QUIET_EVENT_TYPES: ReadonlySet<string> = new Set(['VOTED', 'UNVOTED']);

/** Event types that tell maintainers of a new item routed to what they maintain. */
const NEW_ITEM_EVENTS = `'FILED','ROUTED'`;

/**
 * The audience of the events whose ids are `$1::int[]`: one row per (event, user) with the most
 * specific reason. The rules, GitHub's:
 * - the most specific explicit state wins: the item's, then the nearest component's on its
 *   lineage, then its upstream's (the one it is routed to);
 * - IGNORED: never told; SUBSCRIBED: told of everything;
 * - otherwise told only when taking part: the assignee, the reporter, commenters, voters;
 * - maintainers of the routed upstream or of a component on the lineage hear of new items
 *   (filed or routed there) unless their state there is UNSUBSCRIBED or IGNORED;
 * - never the event's own actor, never someone who may not see the item, never a deactivated account.
 */
export const AUDIENCE_SQL = `
  WITH RECURSIVE ev AS (
    SELECT e.id AS event_id, e.item_id, e.type, e.actor_id, i.reporter_id, i.assignee_id, i.component_id, i.route_upstream_id
      FROM timeline_event e JOIN item i ON i.id = e.item_id
     WHERE e.id = ANY($1::int[])
  ),
  lineage (event_id, component_id, depth) AS (
    SELECT event_id, component_id, 0 FROM ev WHERE component_id IS NOT NULL
    UNION ALL
    SELECT l.event_id, c.parent_id, l.depth + 1 FROM lineage l JOIN component c ON c.id = l.component_id WHERE c.parent_id IS NOT NULL
  ),
  explicit AS (
    SELECT DISTINCT ON (x.event_id, x.user_id) x.event_id, x.user_id, x.state
      FROM (
        SELECT ev.event_id, s.user_id, s.state, 0 AS level
          FROM ev JOIN subscription s ON s.target_kind = 'ITEM' AND s.target_id = ev.item_id
        UNION ALL
        SELECT l.event_id, s.user_id, s.state, 1 + l.depth
          FROM lineage l JOIN subscription s ON s.target_kind = 'COMPONENT' AND s.target_id = l.component_id
        UNION ALL
        SELECT ev.event_id, s.user_id, s.state, 1000
          FROM ev JOIN subscription s ON s.target_kind = 'UPSTREAM' AND s.target_id = ev.route_upstream_id
      ) x
     ORDER BY x.event_id, x.user_id, x.level
  ),
  candidate (event_id, user_id, rank) AS (
    SELECT ev.event_id, ev.assignee_id, 1 FROM ev WHERE ev.assignee_id IS NOT NULL
    UNION ALL
    SELECT ev.event_id, ev.reporter_id, 2 FROM ev
    UNION ALL
    SELECT DISTINCT ev.event_id, c.author_id, 3 FROM ev JOIN comment c ON c.item_id = ev.item_id
    UNION ALL
    SELECT ev.event_id, v.user_id, 4 FROM ev JOIN vote v ON v.item_id = ev.item_id
    UNION ALL
    SELECT DISTINCT ev.event_id, g.user_id, 5
      FROM ev JOIN role_grant g ON g.role = 'MAINTAINER'
       AND (g.upstream_id = ev.route_upstream_id OR g.component_id IN (SELECT l.component_id FROM lineage l WHERE l.event_id = ev.event_id))
     WHERE ev.type IN (${NEW_ITEM_EVENTS})
       AND NOT EXISTS (SELECT 1 FROM explicit x WHERE x.event_id = ev.event_id AND x.user_id = g.user_id AND x.state IN ('UNSUBSCRIBED','IGNORED'))
    UNION ALL
    SELECT x.event_id, x.user_id, 6 FROM explicit x WHERE x.state = 'SUBSCRIBED'
  ),
  chosen AS (
    SELECT DISTINCT ON (c.event_id, c.user_id) c.event_id, c.user_id, c.rank
      FROM candidate c
     ORDER BY c.event_id, c.user_id, c.rank
  )
  SELECT ch.event_id, ch.user_id, ev.item_id,
         (ARRAY['ASSIGNED','REPORTER','PARTICIPANT','VOTER','MAINTAINER','SUBSCRIBED'])[ch.rank] AS reason
    FROM chosen ch
    JOIN ev ON ev.event_id = ch.event_id
    JOIN item i ON i.id = ev.item_id
   WHERE ch.user_id IS DISTINCT FROM ev.actor_id
     AND NOT EXISTS (SELECT 1 FROM explicit x WHERE x.event_id = ch.event_id AND x.user_id = ch.user_id AND x.state = 'IGNORED')
     AND ${recipientMayKnowSql('i', 'ch.user_id')}
     AND ${accountActiveSql('ch.user_id')}`;

/**
 * At most `$2 + 1` possible recipients of the events `$1::int[]`, counted from the indexes
 * (followers of the item, its components and upstream, its voters and commenters): enough to
 * tell a small audience from a large one without reading the large one.
 */
export const AUDIENCE_ESTIMATE_SQL = `
  WITH RECURSIVE ev AS (
    SELECT e.item_id, i.component_id, i.route_upstream_id
      FROM timeline_event e JOIN item i ON i.id = e.item_id
     WHERE e.id = ANY($1::int[])
  ),
  lineage (component_id) AS (
    SELECT component_id FROM ev WHERE component_id IS NOT NULL
    UNION
    SELECT c.parent_id FROM lineage l JOIN component c ON c.id = l.component_id WHERE c.parent_id IS NOT NULL
  )
  SELECT count(*)::int AS n FROM (
    (SELECT 1 FROM subscription s WHERE s.target_kind = 'ITEM' AND s.target_id IN (SELECT item_id FROM ev) LIMIT $2 + 1)
    UNION ALL
    (SELECT 1 FROM subscription s WHERE s.target_kind = 'COMPONENT' AND s.target_id IN (SELECT component_id FROM lineage) LIMIT $2 + 1)
    UNION ALL
    (SELECT 1 FROM subscription s WHERE s.target_kind = 'UPSTREAM' AND s.target_id IN (SELECT route_upstream_id FROM ev) LIMIT $2 + 1)
    UNION ALL
    (SELECT 1 FROM vote v WHERE v.item_id IN (SELECT item_id FROM ev) LIMIT $2 + 1)
    UNION ALL
    (SELECT 1 FROM comment c WHERE c.item_id IN (SELECT item_id FROM ev) LIMIT $2 + 1)
  ) possible`;

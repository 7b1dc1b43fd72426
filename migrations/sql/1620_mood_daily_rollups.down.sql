DROP TRIGGER trg_mood_entries_daily_rollups ON mood_entries;
DROP FUNCTION refresh_mood_daily_rollups(uuid);
DROP FUNCTION queue_mood_daily_rollup();
DROP TABLE mood_rollup_pending;
DROP FUNCTION refresh_mood_daily_rollup(uuid, date);
DROP TABLE mood_daily_rollups;

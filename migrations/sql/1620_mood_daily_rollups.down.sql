DROP TRIGGER trg_mood_entries_daily_rollups ON mood_entries;
DROP FUNCTION maintain_mood_daily_rollups();
DROP FUNCTION refresh_mood_daily_rollup(uuid, date);
DROP TABLE mood_daily_rollups;

DROP TRIGGER trg_appointments_care_relationship ON appointments;
DROP FUNCTION record_care_relationship_change();
DROP TRIGGER trg_habit_logs_change_log ON habit_logs;
DROP TRIGGER trg_habit_definitions_change_log ON habit_definitions;
DROP TRIGGER trg_goals_change_log ON goals;
DROP TRIGGER trg_journal_entries_change_log ON journal_entries;
DROP TRIGGER trg_mood_entries_change_log ON mood_entries;
DROP FUNCTION record_wellness_change();

CREATE OR REPLACE FUNCTION is_therapist_of(p_client_id uuid)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM appointments
         WHERE therapist_id = app_current_user_id()
           AND client_id = p_client_id
           AND status IN ('confirmed', 'completed')
    )
$$;

DROP FUNCTION is_current_therapist(uuid, uuid);

-- The therapist's clinical assessments (issue 12): diagnoses with ICD-10 codes and findings, sealed by
-- the app like treatment plans (AES-256-GCM, encryption_key_id names the key); the type, tool, score
-- and date stay plain. Nothing writes the sketch's plaintext `interpretation` or `raw_data` any more.
-- And "who read my record" (1254) now lists reads of measures and assessments too.
ALTER TABLE clinical_assessments
    ADD COLUMN findings BYTEA,
    ADD COLUMN diagnoses BYTEA, -- [{code, description, primary}] as JSON, sealed
    ADD COLUMN encryption_key_id TEXT,
    ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD CONSTRAINT chk_clinical_assessment_sealed CHECK ((findings IS NULL AND diagnoses IS NULL) OR encryption_key_id IS NOT NULL);
CREATE TRIGGER trg_clinical_assessments_updated_at BEFORE UPDATE ON clinical_assessments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_clinical_assessments_fixed BEFORE UPDATE OF id, client_id, therapist_id, created_at ON clinical_assessments
    FOR EACH ROW EXECUTE FUNCTION forbid_column_change('id', 'client_id', 'therapist_id', 'created_at');

CREATE OR REPLACE FUNCTION record_reads_of(p_client_id uuid, p_limit int)
RETURNS TABLE (performed_at timestamptz, reader_id uuid, reader_role user_role, reader_name text, record_kind text, break_glass boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF p_client_id IS DISTINCT FROM app_current_user_id() THEN
        RAISE EXCEPTION 'only the acting user''s own record' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
    SELECT l.performed_at, l.user_id, u.role, nullif(concat_ws(' ', p.first_name, p.last_name), '')::text, l.entity_type::text,
           -- A platform admin reads clinical data only through break-glass.
           l.action = 'break_glass.read' OR u.role = 'super_admin'
      FROM audit_logs l
      JOIN users u ON u.id = l.user_id
      LEFT JOIN user_profiles p ON p.user_id = l.user_id
     WHERE l.user_id <> p_client_id
       AND (l.action LIKE '%.read' OR l.action = 'break_glass.read')
       AND CASE l.entity_type
             WHEN 'session_note' THEN EXISTS (SELECT 1 FROM session_notes n WHERE n.id = l.entity_id AND n.client_id = p_client_id)
             WHEN 'session_note_version' THEN EXISTS (SELECT 1 FROM session_notes n WHERE n.id = l.entity_id AND n.client_id = p_client_id)
             WHEN 'session_note_amendment' THEN EXISTS (SELECT 1 FROM session_note_amendments a JOIN session_notes n ON n.id = a.note_id
                                                         WHERE a.id = l.entity_id AND n.client_id = p_client_id)
             WHEN 'treatment_plan' THEN EXISTS (SELECT 1 FROM treatment_plans t WHERE t.id = l.entity_id AND t.client_id = p_client_id)
             WHEN 'patient_medical_history' THEN l.entity_id = p_client_id
             WHEN 'patient_psychiatric_history' THEN l.entity_id = p_client_id
             WHEN 'patient_social_history' THEN l.entity_id = p_client_id
             WHEN 'client_record' THEN l.entity_id = p_client_id
             WHEN 'measure_response' THEN EXISTS (SELECT 1 FROM questionnaire_responses q WHERE q.id = l.entity_id AND q.client_id = p_client_id)
             WHEN 'measure_assignment' THEN l.entity_id = p_client_id
                                         OR EXISTS (SELECT 1 FROM measure_assignments m WHERE m.id = l.entity_id AND m.client_id = p_client_id)
             WHEN 'measure_risk_alert' THEN EXISTS (SELECT 1 FROM measure_risk_alerts m WHERE m.id = l.entity_id AND m.client_id = p_client_id)
             WHEN 'clinical_assessment' THEN EXISTS (SELECT 1 FROM clinical_assessments c WHERE c.id = l.entity_id AND c.client_id = p_client_id)
             ELSE FALSE
           END
     ORDER BY l.performed_at DESC
     LIMIT p_limit;
END;
$$;

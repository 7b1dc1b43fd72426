DROP TRIGGER IF EXISTS trg_clinical_assessments_fixed ON clinical_assessments;
DROP TRIGGER IF EXISTS trg_clinical_assessments_updated_at ON clinical_assessments;
ALTER TABLE clinical_assessments
    DROP CONSTRAINT IF EXISTS chk_clinical_assessment_sealed,
    DROP COLUMN IF EXISTS updated_at,
    DROP COLUMN IF EXISTS encryption_key_id,
    DROP COLUMN IF EXISTS diagnoses,
    DROP COLUMN IF EXISTS findings;

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
             ELSE FALSE
           END
     ORDER BY l.performed_at DESC
     LIMIT p_limit;
END;
$$;

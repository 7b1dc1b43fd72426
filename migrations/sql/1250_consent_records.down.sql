CREATE OR REPLACE FUNCTION business_sessions_by_month(p_business_id uuid, p_minimum int)
RETURNS TABLE (month text, booked int, completed int, cancelled int, no_show int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT to_char(a.scheduled_start AT TIME ZONE 'Europe/Athens', 'YYYY-MM'),
           count(*) FILTER (WHERE a.status <> 'declined')::int,
           count(*) FILTER (WHERE a.status = 'completed')::int,
           count(*) FILTER (WHERE a.status = 'cancelled')::int,
           count(*) FILTER (WHERE a.status = 'no_show')::int
      FROM business_employees be JOIN appointments a ON a.client_id = be.user_id AND a.deleted_at IS NULL
     WHERE be.business_id = p_business_id AND a.scheduled_start >= now() - interval '1 year'
       AND (is_business_admin_of(p_business_id) OR app_current_user_role() = 'super_admin'
            OR (SELECT rolbypassrls FROM pg_roles WHERE rolname = session_user))
     GROUP BY 1
    HAVING count(DISTINCT be.user_id) >= p_minimum
     ORDER BY 1
$$;
DROP TABLE consent_records;
DROP FUNCTION record_sharing_consent_change();
DROP FUNCTION consent_withdrawn(uuid, consent_kind);
DROP FUNCTION guard_consent_record_update();
DROP TYPE consent_kind;

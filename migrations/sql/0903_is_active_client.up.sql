-- A therapist proposes a series or an appointment to a client they have no care with yet (0610):
-- under the policies of 0901 they cannot see that client's account row. The booking path only
-- needs to know that the id is an active client account: one yes/no, nothing of the account.
CREATE FUNCTION is_active_client(p_user_id uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM users
         WHERE id = p_user_id AND role = 'client' AND status = 'active' AND deleted_at IS NULL
    )
$$;

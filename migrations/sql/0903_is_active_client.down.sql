DROP FUNCTION is_active_client(uuid);

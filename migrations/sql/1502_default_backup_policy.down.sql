DELETE FROM backup_policies WHERE policy_name = 'daily';

DELETE FROM data_retention_policies WHERE table_name = 'idempotency_keys';
DROP TABLE idempotency_keys;

DROP FUNCTION record_reads_of(uuid, int);
DROP POLICY tf_own_record ON treatment_plans;

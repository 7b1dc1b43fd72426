export { JobRunner, type JobDefinition, type JobRunnerOptions, type JobObserver } from './job-runner.js';
export { applyRetentionPolicies, createPartitionsAhead, maintenanceJobs, PARTITION_MONTHS_AHEAD, type RetentionResult } from './maintenance.js';

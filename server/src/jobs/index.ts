export { JobRunner, type JobDefinition, type JobRunnerOptions, type JobObserver } from './job-runner.js';
export { createPartitionsAhead, maintenanceJobs, PARTITION_MONTHS_AHEAD } from './maintenance.js';

export { JobRunner, type JobDefinition, type JobRunnerOptions } from './job-runner.js';

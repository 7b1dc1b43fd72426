export { loadConfig, ConfigError, type Config } from './config.js';
export { withDevSecrets } from './dev-secrets.js';
export { StartupError, describeFailure } from './startup-error.js';

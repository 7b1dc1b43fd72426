export { loadConfig, ConfigError, type Config, type TwilioSettings } from './config.js';
export { withDevSecrets } from './dev-secrets.js';
export { StartupError, describeFailure } from './startup-error.js';

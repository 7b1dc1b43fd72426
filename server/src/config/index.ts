export { loadConfig, ConfigError, type Config } from './config.js';
export { withDevSecrets } from './dev-secrets.js';

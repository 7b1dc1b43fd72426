export { webAppHandler, defaultWebAppDir } from './web-app.js';

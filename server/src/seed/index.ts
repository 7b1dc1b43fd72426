export { seedDemoData, demoLogins, DEMO_PASSWORD } from './demo-data.js';

export { VideoCallPage } from './VideoCallPage';

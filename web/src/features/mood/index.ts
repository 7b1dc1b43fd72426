export { MoodPage } from './MoodPage';

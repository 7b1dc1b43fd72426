export { HabitsPage } from './HabitsPage';
export { GoalsPage } from './GoalsPage';

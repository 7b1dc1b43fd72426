export { FindTherapistPage } from './FindTherapistPage';
export { TherapistProfilePage } from './TherapistProfilePage';

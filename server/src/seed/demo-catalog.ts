import type { Role } from '@therapy-field/sync';

export interface DemoPerson {
  role: Role;
  email: string;
  firstName: string;
  lastName: string;
  /** Latin-script name, so the directory answers English searches too. */
  displayName: string;
  language: 'el' | 'en';
  occupation?: string;
  employee?: { department: string };
}

export interface DemoTherapist extends DemoPerson {
  role: 'therapist';
  license: string;
  title: string;
  bio: string;
  years: number;
  online: boolean;
  inPerson: boolean;
  specializations: string[];
  approaches: string[];
  languages: Array<[code: string, level: 'native' | 'fluent' | 'conversational']>;
  location: { practice: string; address: string; city: string; postalCode: string; lat: number; lng: number };
  /** Daily working windows, Monday to Friday, Europe/Athens. */
  hours: Array<[start: string, end: string]>;
  rates: Array<[appointmentType: string, euros: number]>;
}

export const demoCatalog = {
  specializations: [
    ['anxiety', 'Anxiety disorders', 'Αγχώδεις διαταραχές', 'mood'],
    ['depression', 'Depression', 'Κατάθλιψη', 'mood'],
    ['couples', 'Couples therapy', 'Θεραπεία ζεύγους', 'relationships'],
    ['trauma', 'Trauma and PTSD', 'Τραύμα και μετατραυματικό στρες', 'trauma'],
    ['work-stress', 'Work stress and burnout', 'Εργασιακό άγχος και επαγγελματική εξουθένωση', 'work'],
    ['eating', 'Eating disorders', 'Διατροφικές διαταραχές', 'health'],
  ],
  approaches: [
    ['cbt', 'Cognitive behavioural therapy', 'Γνωσιακή συμπεριφορική θεραπεία', 'CBT'],
    ['psychodynamic', 'Psychodynamic psychotherapy', 'Ψυχοδυναμική ψυχοθεραπεία', 'PDT'],
    ['systemic', 'Systemic family therapy', 'Συστημική θεραπεία οικογένειας', 'SFT'],
    ['emdr', 'EMDR', 'Απευαισθητοποίηση και επανεπεξεργασία μέσω οφθαλμικών κινήσεων', 'EMDR'],
  ],
  appointmentTypes: [
    ['assessment', 'Initial assessment / Αρχική αξιολόγηση', 60, true, false],
    ['individual', 'Individual session / Ατομική συνεδρία', 50, false, false],
    ['couples', 'Couples session / Συνεδρία ζεύγους', 80, false, true],
  ],
  business: { name: 'Ακρόπολις Τεχνολογίες Α.Ε.' },
  /** Maria sees Eleni: a completed session last week and the next one booked, both online at 10:00 Athens time. */
  care: {
    therapist: 'eleni.therapist@demo.therapyfield.gr',
    client: 'maria.client@demo.therapyfield.gr',
    appointmentType: 'individual',
    sessions: [
      { daysFromToday: -7, status: 'completed' },
      { daysFromToday: 7, status: 'confirmed' },
    ],
  },
} as const satisfies {
  specializations: ReadonlyArray<readonly [string, string, string, string]>;
  approaches: ReadonlyArray<readonly [string, string, string, string]>;
  appointmentTypes: ReadonlyArray<readonly [string, string, number, boolean, boolean]>;
  business: { name: string };
  care: {
    therapist: string;
    client: string;
    appointmentType: string;
    sessions: ReadonlyArray<{ daysFromToday: number; status: 'completed' | 'confirmed' }>;
  };
};

const therapists: DemoTherapist[] = [
  {
    role: 'therapist', email: 'eleni.therapist@demo.therapyfield.gr', firstName: 'Ελένη', lastName: 'Παπαδάκη', displayName: 'Eleni Papadaki', language: 'el',
    license: 'ΨΥΧ-ΑΘ-10482', title: 'Κλινική Ψυχολόγος', years: 12, online: true, inPerson: true,
    bio: 'Κλινική ψυχολόγος με εξειδίκευση στο άγχος και την κατάθλιψη. Clinical psychologist working with anxiety and depression.',
    specializations: ['anxiety', 'depression'], approaches: ['cbt'], languages: [['el', 'native'], ['en', 'fluent']],
    location: { practice: 'Ψυχοθεραπευτήριο Κολωνακίου', address: 'Πατριάρχου Ιωακείμ 10', city: 'Αθήνα', postalCode: '10675', lat: 37.978, lng: 23.744 },
    hours: [['09:00', '13:00'], ['15:00', '19:00']], rates: [['assessment', 70], ['individual', 60]],
  },
  {
    role: 'therapist', email: 'giorgos.therapist@demo.therapyfield.gr', firstName: 'Γιώργος', lastName: 'Νικολάου', displayName: 'Giorgos Nikolaou', language: 'el',
    license: 'ΨΥΧ-ΘΕΣ-20311', title: 'Ψυχοθεραπευτής', years: 8, online: true, inPerson: true,
    bio: 'Συστημικός ψυχοθεραπευτής για ζευγάρια και οικογένειες. Systemic therapist for couples and families.',
    specializations: ['couples', 'work-stress'], approaches: ['systemic', 'psychodynamic'], languages: [['el', 'native'], ['en', 'conversational']],
    location: { practice: 'Κέντρο Συστημικής Θεραπείας', address: 'Τσιμισκή 45', city: 'Θεσσαλονίκη', postalCode: '54623', lat: 40.6325, lng: 22.944 },
    hours: [['10:00', '18:00']], rates: [['assessment', 60], ['individual', 50], ['couples', 80]],
  },
  {
    role: 'therapist', email: 'sofia.therapist@demo.therapyfield.gr', firstName: 'Σοφία', lastName: 'Αντωνίου', displayName: 'Sofia Antoniou', language: 'en',
    license: 'PSY-ATH-30907', title: 'Trauma Psychotherapist', years: 15, online: true, inPerson: false,
    bio: 'Trauma-focused psychotherapist offering online sessions in English and Greek. Ψυχοθεραπεία τραύματος online.',
    specializations: ['trauma', 'anxiety'], approaches: ['emdr', 'cbt'], languages: [['en', 'native'], ['el', 'fluent']],
    location: { practice: 'Online practice', address: 'Λεωφόρος Κηφισίας 120', city: 'Αθήνα', postalCode: '11526', lat: 37.995, lng: 23.77 },
    hours: [['08:00', '12:00'], ['17:00', '21:00']], rates: [['assessment', 80], ['individual', 70]],
  },
  {
    role: 'therapist', email: 'dimitris.therapist@demo.therapyfield.gr', firstName: 'Δημήτρης', lastName: 'Κωνσταντίνου', displayName: 'Dimitris Konstantinou', language: 'el',
    license: 'ΨΥΧ-ΘΕΣ-41876', title: 'Ψυχολόγος', years: 5, online: true, inPerson: true,
    bio: 'Ψυχολόγος με εστίαση στις διατροφικές διαταραχές και την εργασιακή εξουθένωση.',
    specializations: ['eating', 'work-stress'], approaches: ['cbt', 'psychodynamic'], languages: [['el', 'native'], ['en', 'fluent']],
    location: { practice: 'Ιατρείο Καλαμαριάς', address: 'Κομνηνών 12', city: 'Θεσσαλονίκη', postalCode: '55132', lat: 40.582, lng: 22.95 },
    hours: [['12:00', '20:00']], rates: [['assessment', 55], ['individual', 45]],
  },
];

const others: DemoPerson[] = [
  { role: 'client', email: 'maria.client@demo.therapyfield.gr', firstName: 'Μαρία', lastName: 'Γεωργίου', displayName: 'Maria Georgiou', language: 'el', occupation: 'Εκπαιδευτικός' },
  { role: 'client', email: 'nikos.client@demo.therapyfield.gr', firstName: 'Νίκος', lastName: 'Δημητρίου', displayName: 'Nikos Dimitriou', language: 'el', occupation: 'Μηχανικός λογισμικού', employee: { department: 'Engineering' } },
  { role: 'client', email: 'anna.client@demo.therapyfield.gr', firstName: 'Anna', lastName: 'Schmidt', displayName: 'Anna Schmidt', language: 'en', occupation: 'Architect' },
  { role: 'business_admin', email: 'hr@demo.therapyfield.gr', firstName: 'Κατερίνα', lastName: 'Ιωάννου', displayName: 'Katerina Ioannou', language: 'el' },
  { role: 'super_admin', email: 'admin@demo.therapyfield.gr', firstName: 'Platform', lastName: 'Admin', displayName: 'Platform Admin', language: 'en' },
];

/** The demo therapist comes first: its presence marks a seeded database. */
export const demoPeople: DemoPerson[] = [...therapists, ...others];
export const isDemoTherapist = (person: DemoPerson): person is DemoTherapist => person.role === 'therapist';

/**
 * More employees of the demo company, each in care with a demo therapist, so the company's usage
 * page passes the five-employee rule. Not printed among the logins (same demo password).
 */
export const demoEmployees: DemoPerson[] = [
  { role: 'client', email: 'eleftheria.employee@demo.therapyfield.gr', firstName: 'Ελευθερία', lastName: 'Μαυρίδου', displayName: 'Eleftheria Mavridou', language: 'el', employee: { department: 'Engineering' } },
  { role: 'client', email: 'kostas.employee@demo.therapyfield.gr', firstName: 'Κώστας', lastName: 'Παππάς', displayName: 'Kostas Pappas', language: 'el', employee: { department: 'Sales' } },
  { role: 'client', email: 'irini.employee@demo.therapyfield.gr', firstName: 'Ειρήνη', lastName: 'Λαμπράκη', displayName: 'Irini Lamprakis', language: 'el', employee: { department: 'Support' } },
  { role: 'client', email: 'petros.employee@demo.therapyfield.gr', firstName: 'Πέτρος', lastName: 'Βλάχος', displayName: 'Petros Vlachos', language: 'el', employee: { department: 'Finance' } },
  { role: 'client', email: 'james.employee@demo.therapyfield.gr', firstName: 'James', lastName: 'Walker', displayName: 'James Walker', language: 'en', employee: { department: 'Engineering' } },
];

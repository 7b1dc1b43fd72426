import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { usePlatform, type Role } from '../lib/platform';
import { isLanguage, setLanguage } from './i18n';
import { homeOf, PublicLayout, SignedInLayout } from './Layout';
import { ErrorBoundary } from './ErrorBoundary';
import { PlatformProvider } from './PlatformProvider';

const auth = () => import('../features/auth');
const SignInPage = lazy(() => auth().then((m) => ({ default: m.SignInPage })));
const RegisterPage = lazy(() => auth().then((m) => ({ default: m.RegisterPage })));
const VerifyEmailPage = lazy(() => auth().then((m) => ({ default: m.VerifyEmailPage })));
const ForgotPasswordPage = lazy(() => auth().then((m) => ({ default: m.ForgotPasswordPage })));
const ResetPasswordPage = lazy(() => auth().then((m) => ({ default: m.ResetPasswordPage })));
const ClientHomePage = lazy(() => import('../features/sessions').then((m) => ({ default: m.ClientHomePage })));
const MoodPage = lazy(() => import('../features/mood').then((m) => ({ default: m.MoodPage })));
const JournalPage = lazy(() => import('../features/journal').then((m) => ({ default: m.JournalPage })));
const FindTherapistPage = lazy(() => import('../features/directory').then((m) => ({ default: m.FindTherapistPage })));
const TherapistProfilePage = lazy(() => import('../features/directory').then((m) => ({ default: m.TherapistProfilePage })));
const SchedulePage = lazy(() => import('../features/schedule').then((m) => ({ default: m.SchedulePage })));
const ClientListPage = lazy(() => import('../features/clients').then((m) => ({ default: m.ClientListPage })));
const ClientRecordPage = lazy(() => import('../features/clients').then((m) => ({ default: m.ClientRecordPage })));
const AvailabilityPage = lazy(() => import('../features/availability').then((m) => ({ default: m.AvailabilityPage })));
const InboxPage = lazy(() => import('../features/messages').then((m) => ({ default: m.InboxPage })));
const BillingPage = lazy(() => import('../features/billing').then((m) => ({ default: m.BillingPage })));
const CompanyUsagePage = lazy(() => import('../features/company').then((m) => ({ default: m.CompanyUsagePage })));
const InsightsPage = lazy(() => import('../features/insights').then((m) => ({ default: m.InsightsPage })));
const ClientInsightsPage = lazy(() => import('../features/insights').then((m) => ({ default: m.ClientInsightsPage })));
const FormsPage = lazy(() => import('../features/forms').then((m) => ({ default: m.FormsPage })));
const ClientFormsPage = lazy(() => import('../features/forms').then((m) => ({ default: m.ClientFormsPage })));
const ConsentsPage = lazy(() => import('../features/consent').then((m) => ({ default: m.ConsentsPage })));
const MyMeasuresPage = lazy(() => import('../features/measures').then((m) => ({ default: m.MyMeasuresPage })));
const ClientMeasuresPage = lazy(() => import('../features/measures').then((m) => ({ default: m.ClientMeasuresPage })));
const MyRecordPage = lazy(() => import('../features/my-record').then((m) => ({ default: m.MyRecordPage })));
const SupervisionPage = lazy(() => import('../features/supervision').then((m) => ({ default: m.SupervisionPage })));
const NoteRecordPage = lazy(() => import('../features/note-records').then((m) => ({ default: m.NoteRecordPage })));
const NoteTemplatesPage = lazy(() => import('../features/note-records').then((m) => ({ default: m.NoteTemplatesPage })));
// Its own chunk with the SDK's video entry (mediasoup-client): no other page loads it.
const VideoCallPage = lazy(() => import('../features/video').then((m) => ({ default: m.VideoCallPage })));
const HabitsPage = lazy(() => import('../features/habits').then((m) => ({ default: m.HabitsPage })));
const GoalsPage = lazy(() => import('../features/habits').then((m) => ({ default: m.GoalsPage })));
const NotificationsPage = lazy(() => import('../features/notifications').then((m) => ({ default: m.NotificationsPage })));
const PrivacyPage = lazy(() => import('../features/privacy').then((m) => ({ default: m.PrivacyPage })));
const ModerationPage = lazy(() => import('../features/moderation').then((m) => ({ default: m.ModerationPage })));
const VerificationPage = lazy(() => import('../features/moderation').then((m) => ({ default: m.VerificationPage })));

/** A page for any signed-in user. */
function SignedIn({ children }: { children: ReactNode }) {
  const { session } = usePlatform();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return children;
}

/** A page for signed-in users of one role (or some roles); anyone else goes to their own home or to sign in. */
function ForRole({ role, children }: { role: Role | Role[]; children: ReactNode }) {
  const { session } = usePlatform();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  if (!(Array.isArray(role) ? role : [role]).includes(session.role)) return <Navigate to={homeOf(session.role)} replace />;
  return children;
}

function Home() {
  const { session } = usePlatform();
  return <Navigate to={session ? homeOf(session.role) : '/sign-in'} replace />;
}

function NotFound() {
  const { t } = useTranslation('common');
  return (
    <section className="page">
      <h1>{t('notFound')}</h1>
      <Link to="/">{t('backHome')}</Link>
    </section>
  );
}

/** The signed-in user's profile language wins over the device's. */
function FollowProfileLanguage() {
  const { me } = usePlatform();
  const { i18n } = useTranslation();
  const language = me?.profile.language;
  useEffect(() => {
    if (isLanguage(language) && language !== i18n.language) setLanguage(language);
  }, [language, i18n]);
  return null;
}

function AppRoutes() {
  const { t } = useTranslation('common');
  return (
    <Suspense fallback={<p className="splash" role="status">{t('loading')}</p>}>
      <FollowProfileLanguage />
      <Routes>
        <Route path="/" element={<Home />} />
        <Route element={<PublicLayout />}>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/register" element={<RegisterPage />} />
          <Route path="/verify-email" element={<VerifyEmailPage />} />
          <Route path="/forgot-password" element={<ForgotPasswordPage />} />
          <Route path="/reset-password" element={<ResetPasswordPage />} />
        </Route>
        <Route element={<SignedInLayout />}>
          <Route path="/home" element={<ForRole role="client"><ClientHomePage /></ForRole>} />
          <Route path="/mood" element={<ForRole role="client"><MoodPage /></ForRole>} />
          <Route path="/journal" element={<ForRole role="client"><JournalPage /></ForRole>} />
          <Route path="/habits" element={<ForRole role="client"><HabitsPage /></ForRole>} />
          <Route path="/goals" element={<ForRole role="client"><GoalsPage /></ForRole>} />
          <Route path="/find-therapist" element={<ForRole role="client"><FindTherapistPage /></ForRole>} />
          <Route path="/find-therapist/:therapistId" element={<ForRole role="client"><TherapistProfilePage /></ForRole>} />
          <Route path="/consents" element={<ForRole role="client"><ConsentsPage /></ForRole>} />
          <Route path="/insights" element={<ForRole role="client"><InsightsPage /></ForRole>} />
          <Route path="/forms" element={<ForRole role="client"><FormsPage /></ForRole>} />
          <Route path="/my-record" element={<ForRole role="client"><MyRecordPage /></ForRole>} />
          <Route path="/measures" element={<ForRole role="client"><MyMeasuresPage /></ForRole>} />
          <Route path="/supervision" element={<ForRole role="therapist"><SupervisionPage /></ForRole>} />
          <Route path="/notes/:noteId" element={<ForRole role="therapist"><NoteRecordPage /></ForRole>} />
          <Route path="/note-templates" element={<ForRole role="therapist"><NoteTemplatesPage /></ForRole>} />
          <Route path="/schedule" element={<ForRole role="therapist"><SchedulePage /></ForRole>} />
          <Route path="/availability" element={<ForRole role="therapist"><AvailabilityPage /></ForRole>} />
          <Route path="/my-clients" element={<ForRole role="therapist"><ClientListPage /></ForRole>} />
          <Route path="/my-clients/:clientId" element={<ForRole role="therapist"><ClientRecordPage /></ForRole>} />
          <Route path="/my-clients/:clientId/measures" element={<ForRole role="therapist"><ClientMeasuresPage /></ForRole>} />
          <Route path="/my-clients/:clientId/insights" element={<ForRole role="therapist"><ClientInsightsPage /></ForRole>} />
          <Route path="/my-clients/:clientId/forms" element={<ForRole role="therapist"><ClientFormsPage /></ForRole>} />
          <Route path="/inbox" element={<ForRole role="therapist"><InboxPage /></ForRole>} />
          <Route path="/call/:appointmentId" element={<ForRole role={['client', 'therapist']}><VideoCallPage /></ForRole>} />
          <Route path="/company" element={<ForRole role="business_admin"><CompanyUsagePage /></ForRole>} />
          <Route path="/billing" element={<ForRole role={['client', 'therapist', 'business_admin']}><BillingPage /></ForRole>} />
          <Route path="/moderation" element={<ForRole role="super_admin"><ModerationPage /></ForRole>} />
          <Route path="/verification" element={<ForRole role="super_admin"><VerificationPage /></ForRole>} />
          <Route path="/my-notifications" element={<SignedIn><NotificationsPage /></SignedIn>} />
          <Route path="/privacy" element={<SignedIn><PrivacyPage /></SignedIn>} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

export function App() {
  return (
    <ErrorBoundary>
      <PlatformProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </PlatformProvider>
    </ErrorBoundary>
  );
}

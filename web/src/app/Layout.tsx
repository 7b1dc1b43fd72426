import { Navigate, NavLink, Outlet, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { SyncStatus } from '../components/SyncStatus';
import { useLocalList } from '../lib/local-list';
import { usePlatform, type Role } from '../lib/platform';
import { LanguageSwitcher } from './LanguageSwitcher';

const navByRole: Record<Role, Array<{ to: string; label: string }>> = {
  client: [
    { to: '/home', label: 'nav.home' },
    { to: '/mood', label: 'nav.mood' },
    { to: '/journal', label: 'nav.journal' },
    { to: '/habits', label: 'nav.habits' },
    { to: '/goals', label: 'nav.goals' },
    { to: '/insights', label: 'nav.insights' },
    { to: '/forms', label: 'nav.intake' },
    { to: '/find-therapist', label: 'nav.findTherapist' },
    { to: '/measures', label: 'nav.measures' },
    { to: '/my-record', label: 'nav.myRecord' },
    { to: '/consents', label: 'nav.consents' },
    { to: '/billing', label: 'nav.billing' },
  ],
  therapist: [
    { to: '/schedule', label: 'nav.schedule' },
    { to: '/availability', label: 'nav.availability' },
    { to: '/my-clients', label: 'nav.clients' },
    { to: '/inbox', label: 'nav.messages' },
    { to: '/note-templates', label: 'nav.noteTemplates' },
    { to: '/supervision', label: 'nav.supervision' },
    { to: '/billing', label: 'nav.billing' },
  ],
  business_admin: [
    { to: '/company', label: 'nav.company' },
    { to: '/billing', label: 'nav.billing' },
  ],
  super_admin: [
    { to: '/moderation', label: 'nav.moderation' },
    { to: '/verification', label: 'nav.verification' },
  ],
};

/** Every role's own account pages, after its role's. */
const accountNav = [{ to: '/privacy', label: 'nav.privacy' }];

export const homeOf = (role: Role): string => navByRole[role][0]!.to;

/** The notifications link with the unread count, live from the device's copy. */
function NotificationsLink() {
  const { t } = useTranslation('common');
  const { entries } = useLocalList('notifications', 'createdAt', 'desc');
  const unread = entries.filter((notification) => !notification.isRead).length;
  return (
    <NavLink to="/my-notifications">
      {t('nav.notifications')}
      {unread > 0 && (
        <span className="count-badge">
          <span aria-hidden="true">{unread}</span>
          <span className="visually-hidden">{t('nav.unread', { count: unread })}</span>
        </span>
      )}
    </NavLink>
  );
}

/** The signed-in shell: brand, navigation for the role, sync state, language, sign out. */
export function SignedInLayout() {
  const { t } = useTranslation('common');
  const { session, me, signOut } = usePlatform();
  const navigate = useNavigate();
  if (!session) return <Navigate to="/sign-in" replace />;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <img src="/icon.svg" alt="" width="28" height="28" />
          <span>{t('appName')}</span>
        </div>
        <nav aria-label={t('mainNav')} className="main-nav">
          {[...navByRole[session.role], ...accountNav].map((item) => (
            <NavLink key={item.to} to={item.to}>
              {t(item.label)}
            </NavLink>
          ))}
          <NotificationsLink />
        </nav>
        <div className="topbar-tools">
          <SyncStatus />
          <LanguageSwitcher />
          {me && <span className="who">{me.profile.displayName ?? `${me.profile.firstName} ${me.profile.lastName}`}</span>}
          <button
            type="button"
            className="button-quiet"
            onClick={() => {
              void signOut().then(() => navigate('/sign-in'));
            }}
          >
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** The signed-out shell: sign in, register and the email link pages. */
export function PublicLayout() {
  const { t } = useTranslation('common');
  return (
    <div className="public-shell">
      <header className="public-top">
        <div className="brand">
          <img src="/icon.svg" alt="" width="32" height="32" />
          <span>{t('appName')}</span>
        </div>
        <LanguageSwitcher />
      </header>
      <main id="main" className="public-main">
        <Outlet />
      </main>
    </div>
  );
}

export const notificationsStrings = {
  el: {
    title: 'Ειδοποιήσεις',
    none: 'Δεν υπάρχουν ειδοποιήσεις.',
    unread: 'Αδιάβαστη',
    markRead: 'Σημείωση ως αναγνωσμένης',
    markReadFor: 'Σημείωση ως αναγνωσμένης: {{title}}',
    markAllRead: 'Όλες αναγνωσμένες',
    live: 'Οι νέες ειδοποιήσεις εμφανίζονται αμέσως.',
  },
  en: {
    title: 'Notifications',
    none: 'No notifications.',
    unread: 'Unread',
    markRead: 'Mark read',
    markReadFor: 'Mark read: {{title}}',
    markAllRead: 'Mark all read',
    live: 'New notifications appear as they arrive.',
  },
};

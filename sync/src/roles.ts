export const roles = ['client', 'therapist', 'business_admin', 'super_admin'] as const;
export type Role = (typeof roles)[number];

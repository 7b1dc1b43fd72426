/** Room names: one per user (all their devices), therapist schedule, business and appointment. */
export const userRoom = (userId: string) => `user:${userId}`;
export const therapistScheduleRoom = (therapistId: string) => `therapist-schedule:${therapistId}`;
export const businessRoom = (businessId: string) => `business:${businessId}`;
export const appointmentRoom = (appointmentId: string) => `appointment:${appointmentId}`;
/** Those allowed to watch a user's presence (people they share an appointment with). */
export const presenceRoom = (userId: string) => `presence:${userId}`;
/**
 * Every socket of an account, joined as it connects (the user room waits for the change stream's
 * replay): what closing an account's sessions disconnects.
 */
export const accountRoom = (userId: string) => `account:${userId}`;

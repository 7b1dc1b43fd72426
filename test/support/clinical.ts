import { signUp } from './accounts.js';
import { createAppointment } from './appointments.js';
import type { ApiRequest } from './http.js';
import type { TestPlatform } from './platform.js';
import { createAccounts, type Account } from './scheduling.js';

/** Times as the API writes them: ISO 8601 with an offset. */
export const isoWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The people around a clinical record: its therapist and everyone who must not see it. */
export interface ClinicalCast {
  /** Signed up through the API, so the SDK can log in with the email. */
  therapist: Account & { email: string };
  otherTherapist: Account;
  client: Account;
  otherClient: Account;
  superAdmin: Account;
  businessAdmin: Account;
}

export async function createClinicalCast(node: TestPlatform, api: ApiRequest): Promise<ClinicalCast> {
  const { owner: sequelize } = node.platform.database;
  const signedUp = await signUp(api, sequelize, 'therapist');
  const other = await signUp(api, sequelize, 'therapist');
  const [client, otherClient] = (await createAccounts(node.platform, 'client', 2)) as [Account, Account];
  const [superAdmin] = (await createAccounts(node.platform, 'super_admin', 1)) as [Account];
  const [businessAdmin] = (await createAccounts(node.platform, 'business_admin', 1)) as [Account];
  return {
    therapist: { id: signedUp.id, token: signedUp.accessToken, email: signedUp.email },
    otherTherapist: { id: other.id, token: other.accessToken },
    client,
    otherClient,
    superAdmin,
    businessAdmin,
  };
}

/** Makes past appointments, each an hour before the previous one, so active ones never overlap. */
export function pastAppointments(node: TestPlatform) {
  let made = 0;
  return (therapistId: string, clientId: string, status: 'confirmed' | 'completed' | 'cancelled' | 'requested' = 'completed') =>
    createAppointment(node.platform.database.owner, { therapistId, clientId, status, startsInMinutes: -60 * ++made });
}

/** Makes care pairs: a therapist (signed up through the API) and a client who had a completed session together, so they may message. */
export function carePairs(node: TestPlatform, api: ApiRequest) {
  const pastAppointment = pastAppointments(node);
  return async (): Promise<{ therapist: Account; client: Account }> => {
    const signedUp = await signUp(api, node.platform.database.owner, 'therapist');
    const [client] = (await createAccounts(node.platform, 'client', 1)) as [Account];
    await pastAppointment(signedUp.id, client.id);
    return { therapist: { id: signedUp.id, token: signedUp.accessToken }, client };
  };
}

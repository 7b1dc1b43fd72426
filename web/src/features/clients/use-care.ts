import type { AppointmentDoc } from '@therapy-field/client-sdk';
import { map } from 'rxjs';
import { useObservable } from '../../lib/observable';
import { useSignedIn } from '../../lib/platform';
import { useAsync } from '../../lib/use-async';

/** The therapist's appointments (live, from the device) and their clients' names. */
export function useCare() {
  const { client } = useSignedIn();
  const appointments = useObservable(
    () => client.db.appointments.find({ sort: [{ scheduledStart: 'desc' }] }).$.pipe(map((docs) => docs.map((doc) => doc.toJSON() as AppointmentDoc))),
    [] as AppointmentDoc[],
    [client],
  );
  const conversations = useAsync(() => client.api.messages.conversations(), [client]);
  const names = new Map(conversations.data?.conversations.map((c) => [c.peerId, c.peerName]) ?? []);
  return { client, appointments, names };
}

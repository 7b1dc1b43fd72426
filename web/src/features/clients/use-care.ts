import { useLocalList } from '../../lib/local-list';
import { useSignedIn } from '../../lib/platform';
import { useAsync } from '../../lib/use-async';

/** The therapist's appointments (live, from the device) and their clients' names. */
export function useCare() {
  const { client } = useSignedIn();
  const { entries: appointments } = useLocalList('appointments', 'scheduledStart', 'desc');
  const conversations = useAsync(() => client.api.messages.conversations(), [client]);
  const names = new Map(conversations.data?.conversations.map((c) => [c.peerId, c.peerName]) ?? []);
  return { client, appointments, names };
}

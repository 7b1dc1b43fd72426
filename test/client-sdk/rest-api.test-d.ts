import { describe, expectTypeOf, it } from 'vitest';
import type { TherapyFieldClient } from '@therapy-field/client-sdk';
import type { Appointment, AppointmentStatus, Message, MessagePage, PrivacyExport, SessionNote, Slot } from '@therapy-field/sync';

declare const client: TherapyFieldClient<never>;
declare const id: string;

describe('SDK REST methods', () => {
  it('type requests by what the server accepts and answers by what it sends', async () => {
    expectTypeOf(await client.api.appointments.book({ therapistId: id, appointmentTypeId: id, start: '2026-03-02T10:00:00+02:00' })).toEqualTypeOf<Appointment>();
    expectTypeOf((await client.api.slots(id, { from: '2026-03-02', to: '2026-03-08', type: id })).slots).toEqualTypeOf<Slot[]>();
    expectTypeOf(client.api.appointments.list).parameter(0).exclude<undefined>().toHaveProperty('status').toEqualTypeOf<AppointmentStatus | undefined>();
    // queries take numbers and booleans, as the server reads them, not the strings they travel as
    await client.api.directory.search({ q: 'άγχος', online: true, limit: 10 });
    expectTypeOf(await client.api.notifications.unreadCount()).toEqualTypeOf<{ count: number }>();
    expectTypeOf(await client.api.calendarFeed.read(id)).toEqualTypeOf<string>();
    expectTypeOf(await client.api.sessionNotes.create(id, { noteType: 'soap', content: { subjective: 'Άγχος' } })).toEqualTypeOf<SessionNote>();
    expectTypeOf((await client.api.sessionNotes.listForClient(id, { limit: 20 })).notes).toEqualTypeOf<SessionNote[]>();
    expectTypeOf(await client.api.privacy.export()).toEqualTypeOf<PrivacyExport>();
  });

  it('refuse a wrong argument at compile time', async () => {
    // @ts-expect-error erasing needs the password
    await client.api.privacy.erase({});
    // @ts-expect-error start is required
    await client.api.appointments.book({ therapistId: id, appointmentTypeId: id });
    // @ts-expect-error no such field: the body schema is strict
    await client.api.appointments.book({ therapistId: id, appointmentTypeId: id, start: '2026-03-02T10:00:00+02:00', price: 10 });
    // @ts-expect-error the appointment type is required for slots
    await client.api.slots(id, { from: '2026-03-02', to: '2026-03-08' });
    // @ts-expect-error no such status
    await client.api.appointments.list({ status: 'done' });
    // @ts-expect-error limit is a number
    await client.api.notifications.list({ limit: 'ten' });
    // @ts-expect-error dayOfWeek is a number
    await client.api.availability.setTemplates(id, [{ dayOfWeek: 'monday', startTime: '09:00', endTime: '17:00' }]);
    // @ts-expect-error a SOAP note's content has no DAP "data" section
    await client.api.sessionNotes.create(id, { noteType: 'soap', content: { data: 'x' } });
    // @ts-expect-error an edit names the version it was made on
    await client.api.sessionNotes.update(id, { noteType: 'soap', riskAssessment: null });
  });

  it('derive calls from the route table: answers typed by the response schema', async () => {
    expectTypeOf(await client.api.messages.send(id, { body: 'Γεια' })).toEqualTypeOf<Message>();
    expectTypeOf(await client.api.call('sendMessage', { params: { peerId: id }, body: { body: 'Γεια' } })).toEqualTypeOf<Message>();
    expectTypeOf(await client.api.call('listMessages', { params: { peerId: id }, query: { limit: 10 } })).toEqualTypeOf<MessagePage>();
    expectTypeOf(await client.api.call('markConversationRead', { params: { peerId: id } })).toEqualTypeOf<{ updated: number }>();
    expectTypeOf(await client.api.call('countUnreadNotifications', {})).toEqualTypeOf<{ count: number }>();
  });

  it('refuse a wrong route, path parameter, query or body at compile time', async () => {
    // @ts-expect-error no route has this operationId
    await client.api.call('sendMesage', { params: { peerId: id }, body: { body: 'Γεια' } });
    // @ts-expect-error the path parameter is peerId
    await client.api.call('sendMessage', { params: { therapistId: id }, body: { body: 'Γεια' } });
    // @ts-expect-error sending needs a body
    await client.api.call('sendMessage', { params: { peerId: id } });
    // @ts-expect-error the message text is `body`, not `text`
    await client.api.call('sendMessage', { params: { peerId: id }, body: { text: 'Γεια' } });
    // @ts-expect-error limit is a number
    await client.api.call('listMessages', { params: { peerId: id }, query: { limit: 'ten' } });
    // @ts-expect-error a message body is text
    await client.api.messages.send(id, { body: 42 });
  });
});

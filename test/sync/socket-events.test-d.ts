import type { Socket as ClientSocket } from 'socket.io-client';
import { describe, expectTypeOf, it } from 'vitest';
import type { ChangeEvent, ClientToServerEvents, ServerToClientEvents } from '@therapy-field/sync';

declare const socket: ClientSocket<ServerToClientEvents, ClientToServerEvents>;

describe('socket event maps', () => {
  it('type the payloads and acks of known events', () => {
    socket.emit('room.join', { type: 'appointment', id: 'x' }, (response) => {
      if (response.ok) expectTypeOf(response.data).toEqualTypeOf<{ room: string }>();
    });
    socket.on('change', (change) => expectTypeOf(change).toEqualTypeOf<ChangeEvent>());
  });

  it('refuse a wrong event name or payload at compile time', () => {
    // @ts-expect-error no such event
    socket.emit('room.enter', { type: 'appointment', id: 'x' }, () => undefined);
    // @ts-expect-error no such room type
    socket.emit('room.join', { type: 'everyone', id: 'x' }, () => undefined);
    // @ts-expect-error afterSeq is a number
    socket.emit('changes.since', { afterSeq: 'yesterday' }, () => undefined);
    // @ts-expect-error the server sends no such event
    socket.on('notification.created', () => undefined);
  });
});

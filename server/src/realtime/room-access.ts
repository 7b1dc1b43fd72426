import { z } from 'zod';
import { AppError, type RoomRef } from '@therapy-field/sync';
import type { AccessRepository } from './access.repository.js';
import type { SocketEvents } from './socket-events.js';
import { appointmentRoom, businessRoom, therapistScheduleRoom, userRoom } from './rooms.js';

const roomSchema = z.object({ type: z.enum(['user', 'therapist-schedule', 'business', 'appointment']), id: z.uuid() }).strict();

/** `room.join` / `room.leave`: a socket enters only rooms its user may see, checked in the database. */
export class RoomAccess {
  constructor(private readonly access: AccessRepository) {}

  register(events: SocketEvents): void {
    events.on('room.join', roomSchema, async (socket, room) => {
      const name = roomName(room);
      if (!(await this.mayJoin(socket.data.userId, socket.data.role, room))) {
        throw new AppError('ROOM_FORBIDDEN', 'You may not join this room');
      }
      await socket.join(name);
      return { room: name };
    });
    events.on('room.leave', roomSchema, async (socket, room) => {
      const name = roomName(room);
      // The user room carries the change stream: every device stays in it.
      if (room.type !== 'user') await socket.leave(name);
      return { room: name };
    });
  }

  private async mayJoin(userId: string, role: string, room: RoomRef): Promise<boolean> {
    switch (room.type) {
      case 'user':
        return room.id === userId;
      case 'therapist-schedule':
        return role === 'therapist' && room.id === userId;
      case 'business':
        return this.access.isBusinessAdmin(userId, room.id);
      case 'appointment':
        return this.access.isAppointmentParticipant(userId, room.id);
    }
  }
}

export function roomName(room: RoomRef): string {
  switch (room.type) {
    case 'user':
      return userRoom(room.id);
    case 'therapist-schedule':
      return therapistScheduleRoom(room.id);
    case 'business':
      return businessRoom(room.id);
    case 'appointment':
      return appointmentRoom(room.id);
  }
}

import { io, type Socket } from 'socket.io-client';

/**
 * The client side of the fan-out benchmark, in its own process so client work does not load the
 * server's event loop. Messages from the parent: connect, then measure (which event, how many).
 */
type Command = { type: 'connect'; url: string; auths: Array<Record<string, unknown>> } | { type: 'measure'; event: string; expected: number } | { type: 'exit' };

const sockets: Socket[] = [];
let arrivals: number[] = [];
let expected = 0;
let event = '';

process.on('message', async (command: Command) => {
  if (command.type === 'connect') {
    for (let index = 0; index < command.auths.length; index += 250) {
      await Promise.all(
        command.auths.slice(index, index + 250).map(
          (auth) =>
            new Promise<void>((resolve, reject) => {
              const socket = io(command.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
              socket.onAny((name) => {
                if (name !== event) return;
                arrivals.push(performance.timeOrigin + performance.now());
                if (arrivals.length === expected) process.send!({ type: 'arrivals', arrivals });
              });
              socket.once('connect', () => resolve());
              socket.once('connect_error', reject);
              sockets.push(socket);
            }),
        ),
      );
    }
    process.send!({ type: 'connected' });
  } else if (command.type === 'measure') {
    arrivals = [];
    expected = command.expected;
    event = command.event;
    process.send!({ type: 'armed' });
  } else {
    sockets.forEach((socket) => socket.close());
    process.exit(0);
  }
});

// Raw Node baseline for the processes suite: a Unix-socket server that echoes what it reads
// (the least a manager call can cost: one write and one event-loop read on each side).
import { createServer } from 'node:net';

const server = createServer((socket) => socket.on('data', (chunk) => socket.write(chunk)));
server.listen(process.argv[2], () => process.send('listening'));
process.on('disconnect', () => process.exit(0));

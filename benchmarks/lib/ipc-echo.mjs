// Raw Node baseline for the processes suite: echo every IPC message back to the parent.
process.on('message', (m) => process.send(m));

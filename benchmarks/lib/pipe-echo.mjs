// Raw Node baseline for the processes suite: echo length-prefixed JSON messages read from
// descriptor 3 onto descriptor 4 with blocking readSync/writeSync (what a Pipe does, bare).
import { readSync, writeSync } from 'node:fs';

const buf = Buffer.allocUnsafe(64 * 1024);
const readExact = (off, n) => {
  for (let got = 0; got < n; ) {
    const r = readSync(3, buf, off + got, n - got, null);
    if (r === 0) process.exit(0);
    got += r;
  }
};
for (;;) {
  readExact(0, 4);
  const len = buf.readUInt32BE(0);
  readExact(4, len);
  const msg = JSON.parse(buf.toString('utf8', 4, 4 + len));
  if (msg === null) process.exit(0);
  const n = buf.write(JSON.stringify(msg), 4, 'utf8');
  buf.writeUInt32BE(n, 0);
  writeSync(4, buf, 0, 4 + n);
}

/**
 * The minimal upstream every proxy is measured in front of: answers a small JSON body at once, and counts the
 * Authorization header values it saw so the benchmark can check what arrived. PORT from argv.
 */
import { createServer } from 'node:http';

const counts = new Map<string, number>();
const body = JSON.stringify({ message: 'Hello from the upstream' });
const server = createServer((req, res) => {
  if (req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(Object.fromEntries(counts)));
    return;
  }
  if (req.url === '/__reset') {
    counts.clear();
    res.end('ok');
    return;
  }
  const auth = req.headers.authorization ?? '(none)';
  counts.set(auth, (counts.get(auth) ?? 0) + 1);
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => console.log('listening'));

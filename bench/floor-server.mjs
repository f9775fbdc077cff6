// The floor: a bare node:http server answering every request with fixed bytes.
// Usage: node floor-server.mjs <file with {"routes": {"/path": {"type": ..., "body": ...}}}>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const { routes } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const server = createServer((req, res) => {
  const route = routes[req.url];
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': route.type,
    'Content-Length': Buffer.byteLength(route.body),
  });
  res.end(route.body);
});
server.listen(Number(process.env.FLOOR_PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

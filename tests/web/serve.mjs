// Minimal read-only static file server for the web test.
//
//   node tests/web/serve.mjs [ROOT]
//
// Serves ROOT (default: the project root, two levels up) on 127.0.0.1 at a
// port the OS picks, and prints "PORT <n>" on stdout once listening, so the
// caller never races another process for a fixed port. Only GET and HEAD;
// nothing outside ROOT is reachable.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] || path.join(here, '..', '..'));

// Only the types the sample page needs; anything else is served as bytes.
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'method not allowed\n');
  }
  let urlPath;
  try {
    urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    return send(res, 400, 'bad request\n');
  }
  // Resolve against ROOT and refuse anything that escapes it (e.g. "..").
  const file = path.resolve(root, '.' + path.posix.normalize('/' + urlPath));
  if (urlPath.includes('\0') || (file !== root && !file.startsWith(root + path.sep))) {
    return send(res, 403, 'forbidden\n');
  }
  let target = file;
  try {
    let info = await stat(target);
    if (info.isDirectory()) {
      // A directory URL without the slash would break the page's relative links.
      if (!urlPath.endsWith('/')) {
        res.writeHead(301, { Location: urlPath + '/' });
        return res.end();
      }
      target = path.join(target, 'index.html');
      info = await stat(target);
    }
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(target).toLowerCase()] || 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(target).on('error', () => res.destroy()).pipe(res);
  } catch {
    send(res, 404, 'not found\n');
  }
});

server.listen(0, '127.0.0.1', () => {
  console.log(`PORT ${server.address().port}`);
});

// Exit when the test script stops us; don't wait long for open connections.
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // idle keep-alive sockets would delay close()
    setTimeout(() => process.exit(0), 1000).unref();
  });
}

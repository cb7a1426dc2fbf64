/**
 * A small local HTTP server for the network examples, so that nothing reaches the internet.
 * It listens on 127.0.0.1 (port 0: the OS picks a free port) and serves:
 *   /                     a copy of the "Example Domain" page (chapter 2's I/O examples)
 *   /image/<n>.jpg        a generated 40 KB "image" (chapter 1's downloads)
 *   /site/…               a generated web site of SITE_PAGES pages (chapter 5's crawler)
 * Every response is delayed by `latency` seconds to play the part of a slow network.
 *
 * The server runs in a daemon thread of its own, so the main thread may block in `join()`
 * exactly as the book's Python does (a server on the main thread's event loop could not
 * answer while the main thread is blocked). Daemon: it stops when the program ends.
 */
import { createServer } from 'node:http';
import { Thread, threadable } from '@threadkit/core';

/** Pages of the generated site: /site/index.html and /site/page-1.html … page-(N-1).html. */
export const SITE_PAGES = 24;

const EXAMPLE_PAGE = `<!doctype html>
<html>
<head><title>Example Domain</title></head>
<body>
<div>
  <h1>Example Domain</h1>
  <p>This domain is for use in illustrative examples in documents.</p>
  <p><a href="/domains/example">More information...</a></p>
  <p><a href="/domains/reserved">Reserved domains</a></p>
  <p><a href="/site/index.html">A site to crawl</a></p>
</div>
</body>
</html>
`;

function pageName(k: number): string {
  return k === 0 ? 'index.html' : `page-${k}.html`;
}

/**
 * The links on page `k` of the site: relative and absolute links to other pages, a link to
 * another host (a crawler must not follow it) and a link to a page that does not exist.
 */
export function siteLinks(k: number): string[] {
  const n = SITE_PAGES;
  return [
    pageName((k + 1) % n), // relative
    `/site/${pageName((3 * k + 2) % n)}`, // absolute path
    '/site/index.html',
    `http://elsewhere.invalid/page-${k}.html`, // another site: not followed
    ...(k % 7 === 3 ? ['/site/missing.html'] : []), // a broken link (404)
  ];
}

/** What a correct crawl of /site/index.html finds: the reachable pages and the broken links. */
export function expectedCrawl(): { pages: string[]; broken: string[] } {
  const seen = new Set<number>([0]);
  const todo = [0];
  const broken = new Set<string>();
  while (todo.length > 0) {
    const k = todo.pop()!;
    for (const link of siteLinks(k)) {
      if (link.startsWith('http:')) continue;
      const name = link.replace('/site/', '');
      if (name === 'missing.html') {
        broken.add('/site/missing.html');
        continue;
      }
      const j = name === 'index.html' ? 0 : Number(name.slice(5, -5));
      if (!seen.has(j)) {
        seen.add(j);
        todo.push(j);
      }
    }
  }
  return {
    pages: [...seen].sort((a, b) => a - b).map((k) => `/site/${pageName(k)}`),
    broken: [...broken],
  };
}

function sitePage(k: number): string {
  const links = siteLinks(k)
    .map((href) => `  <li><a href="${href}">${href}</a></li>`)
    .join('\n');
  return `<!doctype html>\n<html><head><title>Page ${k}</title></head>\n<body>\n<h1>Page ${k}</h1>\n<ul>\n${links}\n</ul>\n</body></html>\n`;
}

/** A deterministic fake JPEG of 40 KB for image `n`. */
function imageBytes(n: number): Buffer {
  const buf = Buffer.alloc(40 * 1024);
  buf[0] = 0xff;
  buf[1] = 0xd8;
  for (let i = 2; i < buf.length; i++) buf[i] = (i * 31 + n * 7) & 0xff;
  return buf;
}

/** The server thread's target: listen, publish the port in `cell[0]`, serve until exit. */
export const serve = threadable(
  import.meta.url,
  async function serve(cell: Int32Array, latency: number): Promise<void> {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const reply = (status: number, type: string, body: string | Buffer) => {
        setTimeout(() => {
          res.writeHead(status, {
            'content-type': type,
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        }, latency * 1000);
      };
      const image = /^\/image\/(\d+)\.jpg$/.exec(url.pathname);
      const page = /^\/site\/(index|page-(\d+))\.html$/.exec(url.pathname);
      if (url.pathname === '/') reply(200, 'text/html', EXAMPLE_PAGE);
      else if (image) reply(200, 'image/jpeg', imageBytes(Number(image[1])));
      else if (page && (page[1] === 'index' || Number(page[2]) < SITE_PAGES)) {
        reply(200, 'text/html', sitePage(page[1] === 'index' ? 0 : Number(page[2])));
      } else reply(404, 'text/plain', 'Not Found\n');
    });
    server.keepAliveTimeout = 1;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    Atomics.store(cell, 0, typeof address === 'object' && address ? address.port : -1);
    Atomics.notify(cell, 0);
    await new Promise(() => {}); // serve until the program ends (daemon thread)
  },
);

/**
 * Start the server in a daemon thread and return its base URL (`http://127.0.0.1:PORT`).
 * `latency`: seconds each response is delayed by.
 */
export function startServer(latency = 0): string {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  new Thread({ target: serve, args: [cell, latency], name: 'http-server', daemon: true }).start();
  if (Atomics.wait(cell, 0, 0, 30_000) === 'timed-out')
    throw new Error('the local HTTP server did not start');
  const port = Atomics.load(cell, 0);
  if (port <= 0) throw new Error('the local HTTP server could not listen');
  return `http://127.0.0.1:${port}`;
}

/** Every `href` of the `<a>` tags in `html` (what the book does with BeautifulSoup). */
export function findLinks(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"/gi)].map((m) => m[1]);
}

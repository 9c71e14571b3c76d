/**
 * The HTTP server of `rrcheck explore` (node:http; no framework: a handful of
 * routes, each a function of cli/explore/session.ts). Bound to 127.0.0.1
 * only. A request whose Host header is not a loopback name with this
 * server's port is refused (403): a web page elsewhere that points a DNS name
 * at 127.0.0.1 (DNS rebinding) cannot reach the API. A POST must be JSON
 * (415 otherwise, so a plain cross-site form cannot post), its body at most
 * MAX_BODY_BYTES (413). The page's files come from the package itself: the
 * page loads nothing from the internet.
 *
 * The routes run on this thread and answer at once: a search runs on a
 * thread of its own (searchBoard.ts, searchThread.ts; in the executable),
 * and is polled and stopped by its id while the other routes go on
 * answering. Closing the server ends a running search's thread.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ExitCode, UserError } from '../../core/exitCodes.js';
import { SearchBoard } from './searchBoard.js';
import { answer, loadRoute, type ExploreSession, type Reply, saveRoute, sessionInfo, stateRoute } from './session.js';

/** The largest request body taken (a counterexample file uploaded from the page fits many times). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** The page's files: URL path → where it lives in the package (relative to its root) and its type. */
const ASSETS: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/': { file: 'src/cli/explore/page/index.html', type: 'text/html; charset=utf-8' },
  '/page.css': { file: 'src/cli/explore/page/page.css', type: 'text/css; charset=utf-8' },
  '/page.js': { file: 'dist/src/cli/explore/page/page.js', type: 'text/javascript; charset=utf-8' },
};

/** The package's root folder (where package.json names rrcheck), from this file in src/ or dist/src/. */
function packageRoot(): string {
  for (const up of ['../../../', '../../../../']) {
    const url = new URL(up, import.meta.url);
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string };
      if (pkg.name === 'rrcheck') return fileURLToPath(url);
    } catch {
      // not at this level
    }
  }
  throw new UserError('the explorer cannot find its package folder (package.json of rrcheck)', ExitCode.internal);
}

/** The page's files, read once; a missing one (the page not built) is one line. */
export function readAssets(): ReadonlyMap<string, { readonly body: Buffer; readonly type: string }> {
  const root = packageRoot();
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const [route, { file, type }] of Object.entries(ASSETS)) {
    try {
      assets.set(route, { body: readFileSync(`${root}${file}`), type });
    } catch {
      throw new UserError(`the explorer's page is missing ${file} (run npm run build)`, ExitCode.internal);
    }
  }
  return assets;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
};

function send(res: ServerResponse, code: number, type: string, body: string | Buffer): void {
  res.writeHead(code, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, reply: Reply): void {
  send(res, reply.code, 'application/json; charset=utf-8', JSON.stringify(reply.body));
}

/** Whether `host` (a Host header) names this server by a loopback name: 127.0.0.1, localhost or [::1], with its port. */
export function loopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const match = /^(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/i.exec(host.trim());
  return match !== null && Number(match[2]) === port;
}

/** The request body as JSON, or the reply refusing it (too large, not JSON). */
function readJson(req: IncomingMessage): Promise<{ readonly body: unknown } | { readonly refused: Reply }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (outcome: { body: unknown } | { refused: Reply }) => {
      if (done) return;
      done = true;
      resolve(outcome);
    };
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY_BYTES) {
      finish({ refused: { code: 413, body: { error: `the request body is over ${MAX_BODY_BYTES} bytes` } } });
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) finish({ refused: { code: 413, body: { error: `the request body is over ${MAX_BODY_BYTES} bytes` } } });
      else chunks.push(chunk);
    });
    req.on('error', () => finish({ refused: { code: 400, body: { error: 'the request body could not be read' } } }));
    req.on('end', () => {
      try {
        finish({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch (error) {
        finish({ refused: { code: 400, body: { error: `the request body is not JSON: ${error instanceof Error ? error.message : String(error)}` } } });
      }
    });
  });
}

/** The routes that take a JSON body (POST), by path; `/api/search/ID/stop` is matched apart. */
function postRoutes(session: ExploreSession, board: SearchBoard): Readonly<Record<string, (body: unknown) => Reply>> {
  return {
    '/api/state': (body) => stateRoute(session, body),
    '/api/search': (body) => board.start(body),
    '/api/save': (body) => saveRoute(session, body),
    '/api/load': (body) => loadRoute(session, body),
  };
}

/** `/api/search/ID` (a GET) and `/api/search/ID/stop` (a POST): the id, and whether it is the stop. */
const SEARCH_ROUTE = /^\/api\/search\/([1-9]\d{0,14})(\/stop)?$/;

/** What a request is answered from: the session, the searches, the page's files. */
interface Served {
  readonly session: ExploreSession;
  readonly board: SearchBoard;
  readonly posts: ReturnType<typeof postRoutes>;
  readonly assets: ReturnType<typeof readAssets>;
}

/** The GET routes of the API: the session, the latest search, a search by id. */
function getRoute(served: Served, route: string): (() => Reply) | undefined {
  if (route === '/api/session') return () => ({ code: 200, body: sessionInfo(served.session) });
  if (route === '/api/search') return () => served.board.status();
  const search = SEARCH_ROUTE.exec(route);
  if (search !== null && search[2] === undefined) return () => served.board.status(Number(search[1]));
  return undefined;
}

/** The POST route of `route`, if any. */
function postRoute(served: Served, route: string): ((body: unknown) => Reply) | undefined {
  const search = SEARCH_ROUTE.exec(route);
  if (search !== null && search[2] !== undefined) return () => served.board.stop(Number(search[1]));
  return Object.hasOwn(served.posts, route) ? served.posts[route] : undefined;
}

/** Answers one request (see the module comment); never throws. */
async function handle(served: Served, port: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { assets } = served;
  if (!loopbackHost(req.headers.host, port)) {
    sendJson(res, { code: 403, body: { error: `refused: the Host header must be 127.0.0.1:${port} or localhost:${port}` } });
    return;
  }
  const route = (req.url ?? '/').split('?')[0]!;
  if (route === '/favicon.ico') {
    res.writeHead(204, SECURITY_HEADERS).end();
    return;
  }
  const asset = assets.get(route);
  const get = getRoute(served, route);
  const post = postRoute(served, route);
  // GET /api/search reads the latest search; POST /api/search starts one.
  const isGet = req.method === 'GET' || req.method === 'HEAD';
  if ((asset !== undefined || get !== undefined) && (isGet || post === undefined)) {
    if (!isGet) {
      sendJson(res, { code: 405, body: { error: `${route} takes GET` } });
      return;
    }
    if (asset !== undefined) send(res, 200, asset.type, asset.body);
    else sendJson(res, answer(get!));
    return;
  }
  if (post === undefined) {
    sendJson(res, { code: 404, body: { error: `no such route: ${route.slice(0, 100)}` } });
    return;
  }
  if (req.method !== 'POST') {
    sendJson(res, { code: 405, body: { error: `${route} takes POST` } });
    return;
  }
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    sendJson(res, { code: 415, body: { error: 'the request body must be sent as application/json' } });
    return;
  }
  const read = await readJson(req);
  if ('refused' in read) {
    res.setHeader('connection', 'close');
    sendJson(res, read.refused);
    return;
  }
  sendJson(res, answer(() => post(read.body)));
}

/** A running explorer server and how to stop it. */
export interface RunningServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the server on 127.0.0.1:`port` (0: any free port). A port that is
 * taken or may not be used is a UserError with exit code cannotListen.
 */
export function startServer(session: ExploreSession, port: number): Promise<RunningServer> {
  const board = new SearchBoard(session);
  const served: Served = { session, board, posts: postRoutes(session, board), assets: readAssets() };
  return new Promise((resolve, reject) => {
    let bound = port;
    const server: Server = createServer((req, res) => {
      handle(served, bound, req, res).catch((error: unknown) => {
        // Only a broken connection gets here: nobody is left to answer.
        if (!res.headersSent) sendJson(res, { code: 500, body: { error: error instanceof Error ? error.message : String(error) } });
      });
    });
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    });
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is in use' : error.code === 'EACCES' ? 'may not be used (permission denied)' : `cannot be listened on (${error.message})`;
      reject(new UserError(`port ${port} on 127.0.0.1 ${why}: give another with --port N, or --port 0 for any free one`, ExitCode.cannotListen));
    });
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      bound = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        port: bound,
        url: `http://127.0.0.1:${bound}/`,
        close: async () => {
          await board.close();
          await new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
        },
      });
    });
  });
}

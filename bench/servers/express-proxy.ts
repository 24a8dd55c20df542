/**
 * Reference proxies, built the way people usually build them:
 * - `plain`: Express 5 + http-proxy-middleware with a keep-alive agent, no auth at all;
 * - `session`: a plain express-session BFF (memory or Redis store) holding a token in the session and adding it as
 *   the bearer, in front of the same proxy.
 * argv: mode port upstreamUrl [redisUrl]
 */
import { Agent } from 'node:http';
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { createClient } from 'redis';

const [mode = 'plain', port = '0', upstream = 'http://127.0.0.1:1', redisUrl] = process.argv.slice(2);
const app = express();
app.disable('x-powered-by');
const agent = new Agent({ keepAlive: true, maxSockets: 128 });
const token = `bench-token-${'x'.repeat(900)}`;

if (mode === 'session') {
  let store;
  if (redisUrl) {
    const client = createClient({ url: redisUrl });
    await client.connect();
    store = new RedisStore({ client, prefix: 'bench-plain:' });
  }
  app.use(
    session({
      secret: 'bench-secret-bench-secret-bench-secret',
      resave: false,
      saveUninitialized: false,
      ...(store ? { store } : {}),
    }),
  );
  app.post('/login', (req, res) => {
    (req.session as unknown as Record<string, unknown>)['tokens'] = {
      idToken: token,
      accessToken: token,
      refreshToken: token,
    };
    res.redirect(303, '/');
  });
  app.use('/api', (req, res, next) => {
    const tokens = (req.session as unknown as Record<string, { idToken: string } | undefined>)['tokens'];
    if (!tokens) {
      res.status(401).json({ error: 'unauthenticated' });
      return;
    }
    req.headers.authorization = `Bearer ${tokens.idToken}`;
    delete req.headers.cookie;
    next();
  });
}
app.use('/api', createProxyMiddleware({ target: upstream, changeOrigin: true, agent }));
app.listen(Number(port), '127.0.0.1', () => console.log('listening'));

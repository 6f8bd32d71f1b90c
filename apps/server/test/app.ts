import type { FastifyInstance } from 'fastify';
import type { InjectOptions } from 'light-my-request';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Principal } from '../src/modules/access/principal.ts';
import { systemPrincipal } from '../src/modules/access/system-principal.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { testPassword } from './fixtures.ts';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  system: Principal;
  /** Creates an account (no forced password change unless asked) and returns its user name. */
  createUser(options: {
    role: string;
    regionCode: string;
    username?: string;
    password?: string;
    mustChangePassword?: boolean;
    department?: string;
  }): Promise<{ id: string; username: string; password: string }>;
  /** A signed-in HTTP client for the user. */
  signIn(username: string, password?: string): Promise<TestClient>;
  close(): Promise<void>;
}

let userSequence = 0;
let clientSequence = 0;

export async function createTestApp(options: { serveWeb?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = {
    ...loadConfig({ SHOUWANG_PROVINCE: '41', LOG_LEVEL: 'silent' }),
    databaseUrl: database.url,
  };
  const app = await buildApp({
    config,
    db: database.db,
    pool: database.pool,
    logger: false,
    serveWeb: options.serveWeb ?? false,
  });
  await app.ready();
  const system = systemPrincipal('41');
  return {
    app,
    database,
    system,
    async createUser(input) {
      userSequence += 1;
      const username = input.username ?? `${input.role.replace('_', '')}${userSequence}`;
      const password = input.password ?? testPassword;
      const user = await app.users.create(system, {
        username,
        displayName: `测试${username}`,
        password,
        regionCode: input.regionCode,
        roles: [input.role],
        department: input.department ?? null,
        mustChangePassword: input.mustChangePassword ?? false,
      });
      return { id: user.id, username, password };
    },
    async signIn(username, password = testPassword) {
      const client = new TestClient(app);
      const response = await client.post('/api/auth/login', { username, password });
      if (response.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${response.body}`);
      return client;
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** Keeps the session cookie and CSRF token like a browser would. */
export class TestClient {
  cookie: string | undefined;
  csrfToken: string | undefined;
  /** Each client has its own address, so per-address rate limits do not leak between tests. */
  readonly remoteAddress: string;

  constructor(private readonly app: FastifyInstance) {
    clientSequence += 1;
    this.remoteAddress = `127.0.${Math.floor(clientSequence / 250) % 250}.${(clientSequence % 250) + 1}`;
  }

  async request(options: InjectOptions) {
    const headers: Record<string, string> = { ...(options.headers as Record<string, string>) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && options.method !== 'GET') headers['x-csrf-token'] ??= this.csrfToken;
    const response = await this.app.inject({ remoteAddress: this.remoteAddress, ...options, headers });
    const setCookie = response.cookies.find((cookie) => cookie.name === 'sw_session');
    if (setCookie) this.cookie = setCookie.value ? `sw_session=${setCookie.value}` : undefined;
    if (
      response.headers['content-type']?.toString().includes('application/json') &&
      response.statusCode === 200
    ) {
      const body = response.json();
      if (typeof body?.csrfToken === 'string') this.csrfToken = body.csrfToken;
    }
    return response;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }

  post(url: string, payload?: unknown) {
    return this.request({ method: 'POST', url, payload: payload as InjectOptions['payload'] });
  }

  delete(url: string) {
    return this.request({ method: 'DELETE', url });
  }
}

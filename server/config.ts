import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting of the server, read from the environment once at start-up and validated.
 * Each has a type, a default and a description (docs/operations.md lists them).
 */
const schema = z.object({
  /** TCP port of the one HTTP server (API, static client, Socket.IO and Yjs websockets). */
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Address to listen on; 0.0.0.0 lets phones on the same network reach a laptop. */
  host: z.string().min(1).default('0.0.0.0'),
  /** Where the embedded SQLite store keeps its file. */
  dataDir: z.string().min(1).default('./data'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * How many reverse proxies stand in front (0: none). Their X-Forwarded-* headers are trusted,
   * counting from the right, so a client cannot pick its own address; cookies become Secure behind TLS.
   * "true" means one.
   */
  trustProxy: z
    .string()
    .default('0')
    .transform((v) => Number(v === 'true' ? 1 : v === 'false' ? 0 : v))
    .pipe(z.number().int().min(0).max(10)),
  /** Extra origins allowed to open sockets (comma-separated); the server's own origin is always allowed. */
  allowedOrigins: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),
  /** Write a state snapshot every this many events, to bound start-up replay. */
  snapshotEvery: z.coerce.number().int().min(10).max(1_000_000).default(1000),
  /**
   * A group with no open connection and no timer due within this many minutes is unloaded (its
   * snapshot written) and loaded again on next use, so a node's memory follows its active groups.
   * 0 keeps every group loaded.
   */
  idleUnloadMinutes: z.coerce.number().min(0).max(24 * 60).default(10),
  /** Open sockets allowed per client address (a venue's shared Wi-Fi address carries a crowd). */
  maxConnectionsPerAddress: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Scale-out: run on Redis instead of the embedded SQLite store (docs/operations.md). */
  redisUrl: z.union([z.literal(''), z.url({ protocol: /^rediss?$/ })]).default(''),
  /**
   * Let an owner's webhook use plain http and loopback or private addresses (docs/notifications.md):
   * for tests and a relay bot on the same machine. Off: HTTPS to public addresses only.
   */
  webhookAllowLocal: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /**
   * Let a device's push subscription name a plain http or loopback/private push service (tests, a
   * push service on the same machine). Off: HTTPS to public addresses only, as the webhook.
   */
  pushAllowLocal: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** The VAPID subject push services may contact the operator at: an https: URL or a mailto: address. */
  pushSubject: z
    .string()
    .regex(/^(https:\/\/|mailto:)\S+$/)
    .default('mailto:push@huzhu.invalid'),
  /** Where the built client is served from. */
  clientDir: z.string().min(1).default('dist/client'),
});

export type Config = z.infer<typeof schema>;

const ENV: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'DATA_DIR',
  logLevel: 'LOG_LEVEL',
  trustProxy: 'HUZHU_TRUST_PROXY',
  allowedOrigins: 'HUZHU_ALLOWED_ORIGINS',
  snapshotEvery: 'HUZHU_SNAPSHOT_EVERY',
  idleUnloadMinutes: 'HUZHU_IDLE_UNLOAD_MINUTES',
  maxConnectionsPerAddress: 'HUZHU_MAX_CONNECTIONS_PER_ADDRESS',
  redisUrl: 'REDIS_URL',
  clientDir: 'HUZHU_CLIENT_DIR',
  webhookAllowLocal: 'HUZHU_WEBHOOK_ALLOW_LOCAL',
  pushAllowLocal: 'HUZHU_PUSH_ALLOW_LOCAL',
  pushSubject: 'HUZHU_PUSH_SUBJECT',
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(ENV).map(([key, name]) => [key, env[name] === '' ? undefined : env[name]]));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0]) as keyof Config;
      return `  ${ENV[key] ?? key}=${JSON.stringify(env[ENV[key]] ?? '')}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir), clientDir: path.resolve(parsed.data.clientDir) };
}

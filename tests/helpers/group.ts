import { afterAll, beforeAll } from 'vitest';
import type { Settings } from '../../shared/domain/types.ts';
import type { GroupRuntime } from '../../server/groups/runtime.ts';
import { CommandClient, createGroup, joinGroup, yjsClient, type Session } from '../../support/clients.ts';
import { type FakeClock, testServer } from './server.ts';

export interface MemberSpec {
  name: string;
  /** The language the member's command client asks for (refusals and notices come back in it). */
  lang?: 'zh-CN' | 'en';
}

export interface GroupSpec<M extends string> {
  clock?: FakeClock;
  /** false: the test runs due timers itself (`runtime().runDueTimers()`), after moving the clock. */
  timers?: boolean;
  settings?: Partial<Settings>;
  members: Record<M, MemberSpec>;
  /** A read-only y-websocket replica signed in as this member, synced before the tests start. */
  watchAs?: NoInfer<M>;
}

export interface GroupFixture<M extends string> {
  readonly server: Awaited<ReturnType<typeof testServer>>;
  readonly owner: Session & { inviteCode: string };
  readonly ownerCmd: CommandClient;
  readonly member: Record<M, Session>;
  readonly cmd: Record<M, CommandClient>;
  readonly watch: ReturnType<typeof yjsClient>;
  runtime(): Promise<GroupRuntime>;
  /** Stops the server and starts it again on the same data dir; every client reconnects (sessions are kept). */
  restart(): Promise<void>;
  /** The group's log version, as the server holds it. */
  version(): Promise<number>;
}

/**
 * A describe block's group on the real server (SQLite store, real sockets): the owner and named members,
 * each with a connected command client, and optionally a watcher's doc. Set up in beforeAll, closed in
 * afterAll; the fields are read inside tests and hooks only.
 */
export function useGroup<M extends string>(spec: GroupSpec<M>): GroupFixture<M> {
  let ready: Omit<GroupFixture<M>, 'runtime' | 'version' | 'watch' | 'restart'> & { watch?: ReturnType<typeof yjsClient> };
  const serverOptions = { ...(spec.clock && { clock: spec.clock }), ...(spec.timers === false && { timers: false }) };

  /** Every client connected and the watcher synced, against `server` (a first start or a restart). */
  const connect = async (server: Awaited<ReturnType<typeof testServer>>, owner: Session & { inviteCode: string }, member: Record<M, Session>) => {
    const ownerCmd = new CommandClient(server.url, owner);
    const cmd = {} as Record<M, CommandClient>;
    for (const [key, { lang }] of Object.entries(spec.members) as [M, MemberSpec][]) cmd[key] = new CommandClient(server.url, member[key], lang ? { lang } : {});
    ready = { server, owner, ownerCmd, member, cmd };
    await Promise.all([ownerCmd, ...Object.values<CommandClient>(cmd)].map((c) => c.connected()));
    if (spec.watchAs) {
      ready.watch = yjsClient(server.url, member[spec.watchAs]);
      await ready.watch.synced();
    }
  };
  const close = async () => {
    ready.watch?.provider.destroy();
    for (const c of [ready.ownerCmd, ...Object.values<CommandClient>(ready.cmd)]) c.close();
    await ready.server.close();
  };

  beforeAll(async () => {
    const server = await testServer(serverOptions);
    const owner = await createGroup(server.url);
    const member = {} as Record<M, Session>;
    for (const [key, { name }] of Object.entries(spec.members) as [M, MemberSpec][]) member[key] = await joinGroup(server.url, owner.inviteCode, name);
    await connect(server, owner, member);
    if (spec.settings) await ready.ownerCmd.must({ type: 'group.updateSettings', payload: { settings: spec.settings } });
  });
  afterAll(async () => {
    if (ready) await close();
  });

  const get = () => {
    if (!ready) throw new Error('useGroup(): the group is only there inside tests and hooks');
    return ready;
  };
  const runtime = async () => (await get().server.host.get(get().owner.groupId))!;
  return {
    get server() {
      return get().server;
    },
    get owner() {
      return get().owner;
    },
    get ownerCmd() {
      return get().ownerCmd;
    },
    get member() {
      return get().member;
    },
    get cmd() {
      return get().cmd;
    },
    get watch() {
      const { watch } = get();
      if (!watch) throw new Error('useGroup(): no watcher; pass watchAs');
      return watch;
    },
    runtime,
    restart: async () => {
      const { server, owner, member } = get();
      await close();
      await connect(await testServer({ ...serverOptions, dataDir: server.dataDir }), owner, member);
    },
    version: async () => (await runtime()).version,
  };
}

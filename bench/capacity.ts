import { GeneratorPool, coresBetween, refusals, seenByAll, startServerProcess } from './load/pool.ts';
import { sendingStarts, type GroupSeat, type MarkedSend, type Usage } from './load/messages.ts';
import { benchGroup } from './load/setup.ts';
import { percentiles, type Percentiles } from './stats.ts';

export const GROUP_SIZE = 50;
/** Past this, a board no longer feels live (issue #7). */
export const VISIBLE_P99_LIMIT_MS = 100;

export interface CapacityStep {
  groups: number;
  members: number;
  /** Commands per second over all groups during the measure. */
  commandsPerSecond: number;
  visible: Percentiles;
  ack: Percentiles;
  notVisible: number;
  /** Commands refused or never answered (TIMEOUT), by code: any of them means the step was not held. */
  refused: Record<string, number>;
  serverRssBytes: number;
  serverCpuCores: number;
  generatorCpuCores: number[];
}

export interface CapacityResult {
  groupSize: number;
  commandsPerGroupPerMinute: number;
  /** Members held with visible-to-all p99 at or under the limit (the last step that was). */
  membersHeld: number;
  /** Server RSS at that step over its members (start-up RSS excluded). */
  rssBytesPerMember: number;
  serverRssBytesIdle: number;
  /** The server process's open-file limit (two sockets per member). */
  serverOpenFilesLimit: number;
  stoppedBecause: string;
  steps: CapacityStep[];
}

/** Every command answered, every one seen by all its group, and p99 within the limit. */
const isHeld = (s: CapacityStep) => s.visible.count > 0 && s.visible.p99 <= VISIBLE_P99_LIMIT_MS && s.notVisible === 0 && Object.keys(s.refused).length === 0;

/**
 * Scenario 3: groups of 50 added a step at a time, each group's members in one generator process. Every
 * member is a light one (bench/load/light.ts): Socket.IO to send, and a Yjs websocket with its presence
 * (renewed every 15 s, as the app's) that only looks for markers, so the figures are the server's and not
 * those of thousands of replicas in the generators. After each step every group sends marked chat messages
 * at a member's pace and visible-to-all latency is measured over all of them.
 */
export async function capacity(opts: { groupsPerStep: number; maxMembers: number; seconds: number; commandsPerGroupPerMinute: number; generators: number; log: (s: string) => void }): Promise<CapacityResult> {
  const { log } = opts;
  const server = await startServerProcess('huzhu');
  const pool = new GeneratorPool(opts.generators);
  const perGenerator: number[] = Array(opts.generators).fill(0);
  const steps: CapacityStep[] = [];
  // Two sockets per member, and room for the store, logs and the listening socket.
  const fdCeiling = Math.floor((server.openFiles - 500) / 2);
  const maxMembers = Math.min(opts.maxMembers, fdCeiling);
  let stoppedBecause = maxMembers < opts.maxMembers ? `the server's open-file limit (${server.openFiles}) allows about ${fdCeiling} members` : `reached ${opts.maxMembers} members`;
  try {
    const serverRssBytesIdle = (await server.worker.call<Usage>({ op: 'usage' })).rssBytes;
    let groups = 0;
    while ((groups + 1) * GROUP_SIZE <= maxMembers) {
      // New groups, set up from here, joined and connected by the generators in parallel; the last
      // step may be smaller, up to what the server's open-file limit allows.
      const seats: GroupSeat[][] = Array.from({ length: opts.generators }, () => []);
      const adding = Math.min(opts.groupsPerStep, Math.floor(maxMembers / GROUP_SIZE) - groups);
      for (let k = 0; k < adding; k++, groups++) {
        const g = await benchGroup(server.url, `互助群${groups}`, 1, 5_000_000 + groups * 10);
        const gen = groups % opts.generators;
        seats[gen]?.push({ ...g, members: GROUP_SIZE });
      }
      const t0 = performance.now();
      await pool.all((i) => ({ op: 'lightOpen', urls: [server.url], seats: seats[i] as GroupSeat[], replicas: 0, presence: true, addressBase: i * 1_000_000 + (perGenerator[i] as number), generator: i }));
      seats.forEach((s, i) => (perGenerator[i] = (perGenerator[i] as number) + s.length * GROUP_SIZE));
      const members = groups * GROUP_SIZE;
      log(`  ${members} members: connected the step in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      const g0 = await pool.usage();
      const s0 = await server.worker.call<Usage>({ op: 'usage' });
      const seqBase = (steps.length + 1) * 1_000_000;
      const rateOf = (i: number) => ((perGenerator[i] as number) / GROUP_SIZE) * (opts.commandsPerGroupPerMinute / 60);
      const starts = sendingStarts(pool.workers.length, perGenerator.reduce((sum, _, i) => sum + rateOf(i), 0));
      const sent = (
        await pool.all<MarkedSend[]>((i) => ({
          op: 'lightSend',
          rate: rateOf(i),
          startAt: starts[i] as number,
          durationMs: opts.seconds * 1000,
          seqBase: seqBase + i * 100_000,
        }))
      ).flat();
      const acked = sent.filter((c) => c.ok);
      const seen = await pool.all<Array<number | null>>({ op: 'markersSeen', on: 'huzhu', marks: acked.map((c) => [c.groupId, c.seq]), timeoutMs: 10_000 });
      const s1 = await server.worker.call<Usage>({ op: 'usage' });
      const g1 = await pool.usage();
      // A group's members all sit in one generator; the others answer 0 for it.
      const visible = seenByAll(acked.map((c) => c.sentAt), seen).flatMap((v) => (v ? [v.ms] : []));
      const refused = refusals(sent);
      const step: CapacityStep = {
        groups,
        members,
        commandsPerSecond: Math.round((sent.length / opts.seconds) * 10) / 10,
        visible: percentiles(visible),
        ack: percentiles(acked.map((c) => c.ackMs)),
        notVisible: acked.length - visible.length,
        refused,
        serverRssBytes: s1.rssBytes,
        serverCpuCores: Math.round(coresBetween(s0, s1) * 100) / 100,
        generatorCpuCores: g0.map((u, i) => Math.round(coresBetween(u, g1[i] as Usage) * 100) / 100),
      };
      steps.push(step);
      log(`  ${JSON.stringify(step)}`);
      if (!isHeld(step)) {
        stoppedBecause = `at ${members} members: visible-to-all p99 ${step.visible.p99} ms, ${step.notVisible} not seen, refused ${JSON.stringify(refused)}`;
        break;
      }
    }
    const held = [...steps].reverse().find(isHeld);
    return {
      groupSize: GROUP_SIZE,
      commandsPerGroupPerMinute: opts.commandsPerGroupPerMinute,
      membersHeld: held?.members ?? 0,
      rssBytesPerMember: held ? Math.round((held.serverRssBytes - serverRssBytesIdle) / held.members) : 0,
      serverRssBytesIdle,
      serverOpenFilesLimit: server.openFiles,
      stoppedBecause,
      steps,
    };
  } finally {
    await pool.stop();
    await server.worker.stop();
  }
}

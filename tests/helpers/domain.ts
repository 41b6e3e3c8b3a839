import type { DecideContext, DomainCommand } from '../../shared/domain/commands.ts';
import { decide, type Decision } from '../../shared/domain/decide.ts';
import { SYSTEM_ACTOR, type EventEnvelope } from '../../shared/domain/events.ts';
import { evolve } from '../../shared/domain/evolve.ts';
import { brokenInvariants } from '../../shared/domain/invariants.ts';
import { dueTimers, nextDeadline } from '../../shared/domain/timers.ts';
import { initialState, type GroupState, type Settings, type Task } from '../../shared/domain/types.ts';
import { DeadlineIndex } from '../../shared/domain/deadline-index.ts';
import { openTasks, scanOpenTasks } from '../../shared/domain/open-tasks.ts';
import { deadlineOwnersTouched, projectAll, projectTouched, touchedBy, type Touched } from '../../shared/ydoc.ts';
import * as Y from 'yjs';

export const MINUTE = 60_000;

/**
 * The domain alone, driven like the runtime drives it (decide → evolve) with a clock and ids
 * under the test's control. Every accepted command is checked against the invariants.
 */
export class DomainSim {
  state: GroupState;
  now = Date.UTC(2026, 10, 22, 8);
  log: EventEnvelope[] = [];
  /** The doc kept current event by event, as the runtime keeps it (projectTouched). */
  readonly doc = new Y.Doc();
  /** The timer index kept event by event, as the runtime keeps it; compared with timers.ts by the properties. */
  readonly deadlines: DeadlineIndex;
  #n = 0;

  constructor(settings: Partial<Settings> = {}, groupId = 'group-1') {
    this.state = initialState(groupId);
    this.deadlines = new DeadlineIndex(this.state);
    projectAll(this.doc, this.state, 'epoch-1');
    this.must('owner', { type: 'group.create', payload: { name: '宝妈砍价群', rules: '', ownerId: 'owner', ownerName: '群主', settings } });
  }

  ctx(): DecideContext {
    // Deterministic "randomness": tests can recompute what the draw did.
    return { now: this.now, newId: () => `id-${++this.#n}`, randomHex: (bytes: number) => `seed${++this.#n}`.padEnd(bytes * 2, '0') };
  }

  run(actor: string, command: DomainCommand): Decision {
    const d = decide(this.state, { id: `c-${++this.#n}`, actor, command }, this.ctx());
    if (d.ok) {
      const touched: Touched[] = [];
      for (const event of d.events) {
        const env = { seq: this.state.version + 1, at: this.now, actor, commandId: 'c', event };
        this.log.push(env);
        touched.push(touchedBy(this.state, event));
        evolve(this.state, env);
      }
      projectTouched(this.doc, this.state, touched);
      this.deadlines.refresh(this.state, deadlineOwnersTouched(touched));
      // [D1] the index the runtime keeps says what timers.ts says.
      if (this.deadlines.next() !== nextDeadline(this.state)) throw new Error(`timer index out of step after ${command.type}: ${this.deadlines.next()} vs ${nextDeadline(this.state)}`);
      // [D2] decide's open-task lookups equal a walk over every task.
      const [kept, scanned] = [openTasks(this.state), scanOpenTasks(this.state)];
      for (const k of ['byLink', 'postedBy', 'claimsHeldBy'] as const) {
        if (!mapsEqual(kept[k], scanned[k])) throw new Error(`open-task lookup ${k} out of step after ${command.type}`);
      }
      const broken = brokenInvariants(this.state);
      if (broken.length) throw new Error(`invariants broken after ${command.type}: ${broken.join('; ')}`);
    }
    return d;
  }

  /** Run and insist it succeeds; returns the command's result. */
  must(actor: string, command: DomainCommand) {
    const d = this.run(actor, command);
    if (!d.ok) throw new Error(`${command.type} by ${actor} refused: ${d.error.code}`);
    return d.result ?? {};
  }

  /** Expect a refusal and return its code. */
  code(actor: string, command: DomainCommand) {
    const d = this.run(actor, command);
    if (d.ok) throw new Error(`${command.type} by ${actor} was accepted`);
    return d.error.code;
  }

  join(memberId: string, name = memberId) {
    this.must(memberId, { type: 'member.join', payload: { memberId, name } });
  }

  post(poster: string, helpersNeeded = 2, expiresInMinutes = 60): string {
    const r = this.must(poster, {
      type: 'task.post',
      // Each post its own link: the same link twice while open is refused as a duplicate.
      payload: { kind: 'bargain', title: '空气炸锅', link: `https://mobile.yangkeduo.com/goods.html?goods_id=${++this.#n}`, note: '', helpersNeeded, expiresInMinutes },
    });
    return String(r.taskId);
  }

  claim(helper: string, taskId: string): string {
    return String(this.must(helper, { type: 'task.claim', payload: { taskId } }).claimId);
  }

  /** Fire every timer due now, as the server's scheduler would. */
  tick(minutes: number) {
    this.now += minutes * MINUTE;
    for (const t of dueTimers(this.state, this.now)) this.run(SYSTEM_ACTOR, t.command);
  }

  balance(memberId: string) {
    return this.state.members[memberId]?.balance;
  }
}

function mapsEqual(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>) {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** An open task as a pure function sees it, for tests of scoring and rules; override what matters. */
export function openTaskAt(now: number, over: Partial<Task> = {}): Task {
  return {
    id: 't',
    no: 1,
    posterId: 'poster',
    kind: 'bargain',
    title: 't',
    link: 'https://yangkeduo.com/',
    verdict: 'official',
    note: '',
    helpersNeeded: 3,
    reward: 1,
    escrow: 3,
    createdAt: now,
    expiresAt: now + 600 * MINUTE,
    status: 'open',
    closedAt: null,
    repeat: null,
    claims: [],
    ...over,
  };
}

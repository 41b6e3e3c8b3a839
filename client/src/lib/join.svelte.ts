import type { InviteInfo } from '../../../shared/protocol/responses.ts';
import { api, type ClientError } from './api.ts';
import { prefs } from './prefs.svelte.ts';
import { rememberNewRecoveryCode } from './recovery.ts';

type InviteState =
  | { status: 'loading' }
  | { status: 'ready'; invite: InviteInfo }
  | { status: 'failed'; error: ClientError };

/** The join page for one invite code: what the invite points at, and the join request. */
export class JoinState {
  readonly code: string;
  #invite = $state.raw<InviteState>({ status: 'loading' });
  #busy = $state(false);
  #error = $state.raw<ClientError | null>(null);

  constructor(code: string) {
    this.code = code;
  }

  get invite() {
    return this.#invite;
  }
  get busy() {
    return this.#busy;
  }
  get error() {
    return this.#error;
  }

  async load(): Promise<void> {
    this.#invite = { status: 'loading' };
    const res = await api.invite(prefs.lang, this.code);
    this.#invite = res.ok ? { status: 'ready', invite: res.data } : { status: 'failed', error: res.error };
  }

  /** Resolves to the group id once joined, or null with `error` set. */
  async join(name: string): Promise<string | null> {
    if (this.#busy) return null;
    this.#busy = true;
    this.#error = null;
    try {
      const res = await api.join(prefs.lang, this.code, name.trim());
      if (!res.ok) {
        this.#error = res.error;
        return null;
      }
      prefs.rememberName(name.trim());
      rememberNewRecoveryCode(res.data.groupId, res.data.recoveryCode);
      return res.data.groupId;
    } finally {
      this.#busy = false;
    }
  }
}

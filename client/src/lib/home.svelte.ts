import type { MyGroup } from '../../../shared/protocol/responses.ts';
import { api, type ClientError } from './api.ts';
import { prefs } from './prefs.svelte.ts';
import { rememberNewRecoveryCode } from './recovery.ts';

export interface CreatedGroup {
  groupId: string;
  inviteLink: string;
}

/** The home page: the create form's progress and result, and the groups this browser is in. */
export class HomeState {
  #busy = $state(false);
  #error = $state.raw<ClientError | null>(null);
  #created = $state.raw<CreatedGroup | null>(null);
  /** null while loading. */
  #groups = $state.raw<MyGroup[] | null>(null);

  get busy() {
    return this.#busy;
  }
  get error() {
    return this.#error;
  }
  get created() {
    return this.#created;
  }
  get groups() {
    return this.#groups;
  }

  async loadGroups(): Promise<void> {
    const res = await api.me(prefs.lang);
    // Not signed in (401) or any failure: this browser is in no group we can show.
    this.#groups = res.ok ? res.data.groups : [];
  }

  async create(name: string, ownerName: string): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#error = null;
    try {
      const res = await api.createGroup(prefs.lang, name.trim(), ownerName.trim());
      if (!res.ok) {
        this.#error = res.error;
        return;
      }
      prefs.rememberName(ownerName.trim());
      rememberNewRecoveryCode(res.data.groupId, res.data.recoveryCode);
      this.#created = {
        groupId: res.data.groupId,
        inviteLink: `${location.origin}/join/${encodeURIComponent(res.data.inviteCode)}`,
      };
      await this.loadGroups();
    } finally {
      this.#busy = false;
    }
  }
}

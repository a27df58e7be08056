/**
 * The admin API, typed from the shared contract. Calls go through the session so that a 401 (the
 * admin's own session ended) signs the page out instead of showing a puzzling error.
 */
import type {
  AuditEntry,
  DisplayView,
  KeyView,
  UserView,
  displayCreateRequest,
  keyCreateRequest,
  userCreateRequest,
  userUpdateRequest,
} from '$contract/auth.ts';
import type { KpiSettingsView, kpiDefaultsUpdate, kpiSettingsUpdate } from '$contract/kpi-settings.ts';
import type { LiveSnapshot } from '$contract/live.ts';
import type { Session } from '$lib/session/session.svelte.ts';
import type { z } from 'zod';

export type AuditQuery = { action?: string; actor?: string; before?: number; limit?: number };
export type AuditCheck = { entries: number; brokenAt: number | null };

export class AdminApi {
  #session: Session;

  constructor(session: Session) {
    this.#session = session;
  }

  async users(): Promise<UserView[]> {
    return (await this.#session.request<{ users: UserView[] }>('/api/admin/users')).users;
  }
  async createUser(body: z.input<typeof userCreateRequest>): Promise<UserView> {
    return (await this.#session.request<{ user: UserView }>('/api/admin/users', 'POST', body)).user;
  }
  async updateUser(id: string, body: z.input<typeof userUpdateRequest>): Promise<UserView> {
    const path = `/api/admin/users/${encodeURIComponent(id)}`;
    return (await this.#session.request<{ user: UserView }>(path, 'PATCH', body)).user;
  }
  /** Ends every session of the account; returns how many there were. */
  async signOutUser(id: string): Promise<number> {
    const path = `/api/admin/users/${encodeURIComponent(id)}/sign-out`;
    return (await this.#session.request<{ sessionsEnded: number }>(path, 'POST')).sessionsEnded;
  }

  async keys(): Promise<KeyView[]> {
    return (await this.#session.request<{ keys: KeyView[] }>('/api/admin/keys')).keys;
  }
  /** The secret is in this answer only; the server keeps a hash. */
  createKey(body: z.input<typeof keyCreateRequest>): Promise<{ key: KeyView; secret: string }> {
    return this.#session.request('/api/admin/keys', 'POST', body);
  }
  async revokeKey(id: string): Promise<KeyView> {
    const path = `/api/admin/keys/${encodeURIComponent(id)}/revoke`;
    return (await this.#session.request<{ key: KeyView }>(path, 'POST')).key;
  }

  async displays(): Promise<DisplayView[]> {
    return (await this.#session.request<{ displays: DisplayView[] }>('/api/admin/displays')).displays;
  }
  /** The link is in this answer only; the server keeps a hash of its token. */
  createDisplay(body: z.input<typeof displayCreateRequest>): Promise<{ display: DisplayView; url: string }> {
    return this.#session.request('/api/admin/displays', 'POST', body);
  }
  async revokeDisplay(id: string): Promise<DisplayView> {
    const path = `/api/admin/displays/${encodeURIComponent(id)}/revoke`;
    return (await this.#session.request<{ display: DisplayView }>(path, 'POST')).display;
  }

  /** Newest first; page back with `before` = the last entry's seq. */
  async audit(q: AuditQuery = {}): Promise<AuditEntry[]> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
    const qs = params.size ? `?${params}` : '';
    return (await this.#session.request<{ entries: AuditEntry[] }>(`/api/admin/audit${qs}`)).entries;
  }
  verifyAudit(): Promise<AuditCheck> {
    return this.#session.request('/api/admin/audit/verify');
  }

  /** KPI definitions and targets in force: the defaults and each queue's own. */
  kpiSettings(): Promise<KpiSettingsView> {
    return this.#session.request('/api/settings/kpis');
  }
  /** Replaces the stored defaults with these (send every setting, not just the changed ones). */
  saveKpiDefaults(body: z.input<typeof kpiDefaultsUpdate>): Promise<KpiSettingsView> {
    return this.#session.request('/api/settings/kpis', 'PUT', body);
  }
  /** Replaces one queue's own settings and targets; what it leaves out follows the defaults. */
  saveQueueKpis(queue: string, body: z.input<typeof kpiSettingsUpdate>): Promise<KpiSettingsView> {
    return this.#session.request(`/api/settings/kpis/queues/${encodeURIComponent(queue)}`, 'PUT', body);
  }
  /** The queue goes back to the defaults. */
  removeQueueKpis(queue: string): Promise<KpiSettingsView> {
    return this.#session.request(`/api/settings/kpis/queues/${encodeURIComponent(queue)}`, 'DELETE');
  }
  /** The queues the live state knows (today and the last day), to suggest names. */
  async liveQueues(): Promise<string[]> {
    const live = await this.#session.request<LiveSnapshot>('/api/live');
    return live.queues.map((q) => q.queue).sort();
  }
}

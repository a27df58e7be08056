/**
 * Counts open websockets per client address and per principal, so one wall controller, one leaked
 * display link or one runaway producer cannot take every socket the server has. A slot is taken
 * before the upgrade is accepted and given back when the socket closes.
 */

export type ConnectionLimitReason = 'per_ip' | 'per_principal';

export type ConnectionLimitsOptions = {
  /** Open sockets one client address may hold (all websockets together). */
  maxPerIp: number;
  /** Open sockets one principal (ingest key, display link, sign-in session) may hold. */
  maxPerPrincipal: number;
};

export type ConnectionSlot = { ok: true; release(): void };
export type ConnectionRefusal = { ok: false; reason: ConnectionLimitReason; limit: number };

export class ConnectionLimits {
  readonly #opts: ConnectionLimitsOptions;
  readonly #byIp = new Map<string, number>();
  readonly #byPrincipal = new Map<string, number>();

  constructor(options: ConnectionLimitsOptions) {
    for (const [name, value] of Object.entries(options)) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
    }
    this.#opts = { ...options };
  }

  get limits(): Readonly<ConnectionLimitsOptions> {
    return this.#opts;
  }

  /** Open sockets counted for a client address or a principal key (0 when none). */
  openFor(of: { ip: string } | { principal: string }): number {
    return 'ip' in of ? (this.#byIp.get(of.ip) ?? 0) : (this.#byPrincipal.get(of.principal) ?? 0);
  }

  /** Takes a slot for a socket, or says which limit it would cross. `principal` null: no principal limit. */
  acquire(ip: string, principal: string | null): ConnectionSlot | ConnectionRefusal {
    if ((this.#byIp.get(ip) ?? 0) >= this.#opts.maxPerIp) {
      return { ok: false, reason: 'per_ip', limit: this.#opts.maxPerIp };
    }
    if (principal !== null && (this.#byPrincipal.get(principal) ?? 0) >= this.#opts.maxPerPrincipal) {
      return { ok: false, reason: 'per_principal', limit: this.#opts.maxPerPrincipal };
    }
    bump(this.#byIp, ip, 1);
    if (principal !== null) bump(this.#byPrincipal, principal, 1);
    let released = false;
    return {
      ok: true,
      // A socket can report its end more than once (error then close): only the first gives the slot back.
      release: () => {
        if (released) return;
        released = true;
        bump(this.#byIp, ip, -1);
        if (principal !== null) bump(this.#byPrincipal, principal, -1);
      },
    };
  }
}

/** Keys at zero are removed, so the maps hold only addresses and principals with open sockets. */
function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

/**
 * A set of names that starts with the core's own and that a domain package extends at boot (its
 * permissions, its audit event types). Names are snake/dot case; registering one twice is harmless,
 * using one that nobody registered is a programming error caught where it is used.
 */
export class NameRegistry<Core extends string> {
  private readonly names: Set<string>;

  constructor(
    private readonly what: string,
    core: readonly Core[],
  ) {
    this.names = new Set(core);
  }

  register(...names: string[]): void {
    for (const name of names) {
      if (!/^[a-z][a-z0-9_.]{0,63}$/.test(name))
        throw new Error(`${this.what} "${name}": lower case, digits, _ and . only`);
      this.names.add(name);
    }
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** Throws for a name nobody registered: a typo would otherwise pass silently. */
  assert(name: string): void {
    if (!this.names.has(name)) throw new Error(`Unknown ${this.what} "${name}": register it at boot`);
  }

  all(): string[] {
    return [...this.names];
  }
}

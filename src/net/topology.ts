// Where nodes live: every node (server, client...) has a stable index, a name and an
// availability zone. Indices follow declaration order, so iteration order is always the same.

export interface NodeSpec {
  name: string;
  az: string;
}

export class Topology {
  readonly names: readonly string[];
  readonly azOf: readonly string[];
  readonly azs: readonly string[];
  private readonly indexByName = new Map<string, number>();

  constructor(readonly nodes: readonly NodeSpec[]) {
    const azs: string[] = [];
    nodes.forEach((n, i) => {
      if (this.indexByName.has(n.name)) throw new Error(`duplicate node name "${n.name}"`);
      this.indexByName.set(n.name, i);
      if (!azs.includes(n.az)) azs.push(n.az);
    });
    this.names = nodes.map((n) => n.name);
    this.azOf = nodes.map((n) => n.az);
    this.azs = azs;
  }

  get size(): number {
    return this.nodes.length;
  }

  has(name: string): boolean {
    return this.indexByName.has(name);
  }

  index(name: string): number {
    const i = this.indexByName.get(name);
    if (i === undefined) throw new Error(`unknown node "${name}"`);
    return i;
  }

  nodesInAz(az: string): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.azOf.length; i++) if (this.azOf[i] === az) out.push(i);
    return out;
  }

  sameAz(a: number, b: number): boolean {
    return this.azOf[a] === this.azOf[b];
  }
}

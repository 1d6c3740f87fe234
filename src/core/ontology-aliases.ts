/**
 * The curated alias table (src/core/ontology-aliases.json, docs/ontology-aliases.md): for every
 * ontology node (raw name in data/derm1m/ontology.json) its display name and the label(s) it is
 * ranked by. Generated once by tools/ontology/make_aliases.py from the comma rule, then edited
 * by hand; tools/model/prompts.py builds the shipped prompt table from the same file.
 *
 * An entry is one of
 * - `{ name, aliases }`: one label; `aliases` are the texts put into the prompt templates;
 * - `{ name, labels: [{ name, aliases }, ...] }`: a node that lists distinct diagnoses ('Melasma,
 *   Lentigo') is ranked as several labels, whose probabilities add up on the node;
 * - `{ sameAs: <raw name> }`: a near-duplicate merged into that node's label(s); the label stands
 *   for every node of the group, and the roll-up shares its probability equally among them.
 */

export interface AliasLabel {
  name: string;
  aliases: string[];
}

export type AliasEntry = { name: string; aliases: string[] } | { name: string; labels: AliasLabel[] } | { sameAs: string };

export interface AliasChange {
  kind: string;
  nodes: string[];
  change: string;
  reason: string;
}

export interface OntologyAliases {
  nodes: Record<string, AliasEntry>;
  changes?: AliasChange[];
}

/** What a node gets from the table. */
export interface ResolvedAliases {
  displayName: string;
  labels: AliasLabel[];
  /** Raw name of the node whose label(s) this node shares: its own, or its `sameAs` target. */
  group: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkLabel(v: unknown, where: string): AliasLabel {
  if (!isObj(v) || typeof v.name !== 'string' || !v.name.trim()) throw new Error(`ontology aliases: ${where} needs a non-empty "name"`);
  const a = v.aliases;
  if (!Array.isArray(a) || a.length === 0) throw new Error(`ontology aliases: ${where} needs a non-empty "aliases" list`);
  for (const s of a) {
    if (typeof s !== 'string' || !s.trim() || s !== s.trim()) throw new Error(`ontology aliases: ${where} has an empty or untrimmed alias ${JSON.stringify(s)}`);
  }
  return { name: v.name, aliases: [...(a as string[])] };
}

/**
 * Check the table against the ontology's node names (every name needs exactly one entry) and
 * resolve each name. Throws an Error naming the first problem.
 */
export function resolveAliases(names: Iterable<string>, table: OntologyAliases): Map<string, ResolvedAliases> {
  if (!isObj(table) || !isObj(table.nodes)) throw new Error('ontology aliases: the table has no "nodes" object');
  const want = new Set(names);
  const entries = table.nodes;
  const missing = [...want].filter((n) => !Object.hasOwn(entries, n));
  if (missing.length) throw new Error(`ontology aliases: no entry for ${missing.length} ontology node(s): ${missing.slice(0, 5).map((n) => JSON.stringify(n)).join(', ')}`);
  const extra = Object.keys(entries).filter((n) => !want.has(n));
  if (extra.length) throw new Error(`ontology aliases: ${extra.length} entr(ies) name no ontology node: ${extra.slice(0, 5).map((n) => JSON.stringify(n)).join(', ')}`);

  const own = new Map<string, { displayName: string; labels: AliasLabel[] }>();
  for (const [raw, e] of Object.entries(entries)) {
    const where = `entry ${JSON.stringify(raw)}`;
    if (!isObj(e)) throw new Error(`ontology aliases: ${where} is not an object`);
    if ('sameAs' in e) continue;
    if (typeof e.name !== 'string' || !e.name.trim()) throw new Error(`ontology aliases: ${where} needs a non-empty "name"`);
    if ('labels' in e) {
      if (!Array.isArray(e.labels) || e.labels.length === 0) throw new Error(`ontology aliases: ${where} needs a non-empty "labels" list`);
      own.set(raw, { displayName: e.name, labels: e.labels.map((l, i) => checkLabel(l, `${where} label ${i}`)) });
    } else {
      own.set(raw, { displayName: e.name, labels: [checkLabel(e, where)] });
    }
  }
  const out = new Map<string, ResolvedAliases>();
  for (const [raw, e] of Object.entries(entries)) {
    if (!('sameAs' in e)) {
      out.set(raw, { ...own.get(raw)!, group: raw });
      continue;
    }
    const target = own.get(e.sameAs);
    if (!target) {
      throw new Error(`ontology aliases: entry ${JSON.stringify(raw)} is "sameAs" ${JSON.stringify(e.sameAs)}, which is not an entry with its own name and aliases`);
    }
    out.set(raw, { ...target, group: e.sameAs });
  }
  return out;
}

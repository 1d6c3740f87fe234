/**
 * The prompt table every bundle ships precomputed (prompts.json), built exactly as
 * tools/model/prompts.py builds it: ontology labels x the 8 skin templates, the 7 preset class
 * lists x the same templates, then concept terms x concept templates and the concepts' reference
 * prompts; first appearance wins. `promptsJsonBytes` writes the file byte for byte as bundle.py
 * does (json.dumps with indent=0, ensure_ascii=False).
 */
import { CONCEPT_REF_PROMPTS, CONCEPT_TEMPLATES, CONCEPT_TERMS, DERM1M_META, ONTOLOGY, ONTOLOGY_ALIASES, OPENAI_SKIN_TEMPLATES, PANDERM_META } from '../data';
import { fillTemplate } from '../prompts';

const PRESET_LISTS: readonly [Record<string, string[]>, string][] = [
  [DERM1M_META, 'PAD_CLASSNAMES'], [DERM1M_META, 'HAM_CLASSNAMES'], [DERM1M_META, 'F17K_DISEASE_113_CLASSES'], [DERM1M_META, 'DAFFODIL_5_CLASSNAMES'],
  [PANDERM_META, 'SNU_134_CLASSNAMES'], [PANDERM_META, 'SD_128_CLASSNAMES'], [PANDERM_META, 'DERMNET_CLASSNAMES'],
];

/** prompts.py ontology_nodes: the keys but root, then children not listed as keys, in file order. */
function ontologyNodes(): string[] {
  const nodes = Object.keys(ONTOLOGY).filter((k) => k !== 'root');
  const known = new Set([...nodes, 'root']);
  for (const children of Object.values(ONTOLOGY)) for (const c of children) if (!known.has(c)) (known.add(c), nodes.push(c));
  return nodes;
}

/** prompts.py ontology_aliases: every alias of every node's label(s), node by node. */
function ontologyAliasList(): string[] {
  const out: string[] = [];
  for (const n of ontologyNodes()) {
    const e = ONTOLOGY_ALIASES.nodes[n];
    if (!e) throw new Error(`ontology aliases: no entry for ${JSON.stringify(n)}`);
    if ('sameAs' in e) continue;
    for (const label of 'labels' in e ? e.labels : [e]) out.push(...label.aliases);
  }
  return out;
}

export function shippedPrompts(): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    if (!seen.has(p)) (seen.add(p), out.push(p));
  };
  for (const alias of ontologyAliasList()) for (const t of OPENAI_SKIN_TEMPLATES) add(fillTemplate(t, alias));
  for (const [meta, key] of PRESET_LISTS) for (const c of meta[key]) for (const t of OPENAI_SKIN_TEMPLATES) add(fillTemplate(t, c));
  for (const terms of Object.values(CONCEPT_TERMS)) for (const term of terms) for (const t of CONCEPT_TEMPLATES) add(fillTemplate(t, term));
  for (const refs of CONCEPT_REF_PROMPTS) for (const r of refs) add(r);
  return out;
}

/** prompts.json as bundle.py writes it: `{\n"prompts": [\n"...",\n...\n]\n}\n`. */
export function promptsJsonText(prompts: readonly string[]): string {
  return `{\n"prompts": [\n${prompts.map((p) => JSON.stringify(p)).join(',\n')}\n]\n}\n`;
}

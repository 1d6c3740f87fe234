/**
 * Mapping a dataset's labels (HAM10000's "mel", ISIC's "pigmented benign keratosis", a folder
 * named "Naevi") onto a class list (a preset, the ontology, the user's own list). Tried in order:
 * the same name after normalising case, separators, plurals and British spellings; a table of
 * dataset codes and synonyms; and, for class lists tied to the ontology, the dataset label's
 * ontology node or its nearest ancestor in the list (a "nevus" photo counts as "benign" when the
 * list is benign vs malignant). What is left unmapped is named, and the user decides.
 */
import { aliasIndex, type Label, type LabelSet } from '../labels';
import { ancestry, type OntologyTree } from '../ontology';

/** Codes and names public datasets use, lower case, to the names class lists use (best first). */
export const DATASET_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  // HAM10000 `dx`
  akiec: ['actinic keratosis', "bowen's disease", 'intraepithelial carcinoma'],
  bcc: ['basal cell carcinoma'],
  bkl: ['benign keratosis', 'seborrheic keratosis', 'solar lentigo', 'lichen planus-like keratosis'],
  df: ['dermatofibroma'],
  mel: ['melanoma'],
  nv: ['nevus', 'melanocytic nevus'],
  vasc: ['vascular', 'vascular lesion', 'hemangioma', 'angioma'],
  // PAD-UFES-20 `diagnostic`
  ack: ['actinic keratosis'],
  nev: ['nevus'],
  scc: ['squamous cell carcinoma'],
  sek: ['seborrheic keratosis', 'benign keratosis'],
  // ISIC `diagnosis` and common spellings
  'vascular lesion': ['vascular', 'hemangioma'],
  'pigmented benign keratosis': ['benign keratosis', 'seborrheic keratosis'],
  'benign keratosis': ['seborrheic keratosis'],
  'solar lentigo': ['benign keratosis', 'lentigo'],
  'lentigo nos': ['lentigo', 'benign keratosis'],
  'lichenoid keratosis': ['benign keratosis', 'lichen planus-like keratosis'],
  'melanocytic nevus': ['nevus'],
  'intraepithelial carcinoma': ["bowen's disease", 'actinic keratosis'],
  'squamous cell carcinoma in situ': ["bowen's disease", 'squamous cell carcinoma'],
};

/** Lower case, no apostrophes, '_' and '-' as spaces, single spaces. */
export function normaliseLabel(s: string): string {
  return s
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .replace(/[_\-/]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const BRITISH: readonly [RegExp, string][] = [
  [/naev/g, 'nev'],
  [/haem/g, 'hem'],
  [/oedema/g, 'edema'],
  [/tumour/g, 'tumor'],
  [/aem/g, 'em'],
];

/** The singular of a label's last word (nevi -> nevus, keratoses -> keratosis, lesions -> lesion). */
function singular(s: string): string {
  const m = /^(.*?)(\S+)$/.exec(s);
  if (!m) return s;
  const [, head, w] = m;
  let one = w;
  if (/^n(a)?evi$/.test(w)) one = w.slice(0, -1) + 'us';
  else if (w.endsWith('oses')) one = w.slice(0, -2) + 'is';
  else if (w.endsWith('ies') && w.length > 4) one = w.slice(0, -3) + 'y';
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w) && w.length > 3) one = w.slice(0, -1);
  return head + one;
}

/** Every form a label is matched by. */
export function labelForms(s: string): string[] {
  const n = normaliseLabel(s);
  const out = new Set<string>([n, singular(n)]);
  for (const f of [...out]) {
    let us = f;
    for (const [re, to] of BRITISH) us = us.replace(re, to);
    out.add(us);
  }
  return [...out];
}

export type MatchKind = 'name' | 'synonym' | 'ontology';

export interface ClassMatch {
  index: number;
  how: MatchKind;
}

/** Form -> class index, from each class's name and aliases (the first class wins a shared form). */
function classIndex(labels: readonly Label[]): Map<string, number> {
  const idx = new Map<string, number>();
  labels.forEach((l, i) => {
    for (const text of [l.name, ...l.aliases]) for (const f of labelForms(text)) if (!idx.has(f)) idx.set(f, i);
  });
  return idx;
}

function find(idx: Map<string, number>, text: string): number | undefined {
  for (const f of labelForms(text)) {
    const i = idx.get(f);
    if (i !== undefined) return i;
  }
  return undefined;
}

/** The automatic mapping of each dataset label; labels it cannot place are absent. */
export function autoMap(datasetLabels: readonly string[], classes: LabelSet, tree?: OntologyTree): Map<string, ClassMatch> {
  const idx = classIndex(classes.labels);
  const byNode = new Map<string, number>();
  classes.labels.forEach((l, i) => {
    for (const id of l.nodeIds ?? (l.nodeId ? [l.nodeId] : [])) if (!byNode.has(id)) byNode.set(id, i);
  });
  const ontology = tree && byNode.size ? aliasIndex(tree) : undefined;
  const out = new Map<string, ClassMatch>();
  for (const raw of datasetLabels) {
    const direct = find(idx, raw);
    if (direct !== undefined) {
      out.set(raw, { index: direct, how: 'name' });
      continue;
    }
    const synonyms = labelForms(raw).flatMap((f) => DATASET_SYNONYMS[f] ?? []);
    const viaSynonym = synonyms.map((s) => find(idx, s)).find((i) => i !== undefined);
    if (viaSynonym !== undefined) {
      out.set(raw, { index: viaSynonym, how: 'synonym' });
      continue;
    }
    if (!ontology || !tree) continue;
    const viaOntology = ontologyMatch([raw, ...synonyms], ontology, tree, byNode);
    if (viaOntology !== undefined) out.set(raw, { index: viaOntology, how: 'ontology' });
  }
  return out;
}

/** The class whose node is the label's ontology node or its nearest ancestor. */
function ontologyMatch(texts: readonly string[], ontology: Map<string, string[]>, tree: OntologyTree, byNode: Map<string, number>): number | undefined {
  for (const text of texts) {
    for (const f of labelForms(text)) {
      const nodes = ontology.get(f);
      if (!nodes) continue;
      for (const node of nodes) {
        const chain = ancestry(tree, node);
        for (let k = chain.length - 1; k >= 0; k--) {
          const i = byNode.get(chain[k]);
          if (i !== undefined) return i;
        }
      }
    }
  }
  return undefined;
}

/** The user's decisions: dataset label -> class label id, or null for "leave unmapped". */
export type MappingOverrides = Record<string, string | null>;

export interface ResolvedMapping {
  /** Dataset label -> class index. */
  toClass: Map<string, number>;
  how: Map<string, MatchKind | 'yours'>;
  /** Dataset labels with no class (their photos count in no metric). */
  unmapped: string[];
}

/** The automatic mapping with the user's choices applied on top. */
export function resolveMapping(datasetLabels: readonly string[], classes: LabelSet, overrides: MappingOverrides, tree?: OntologyTree): ResolvedMapping {
  const auto = autoMap(datasetLabels, classes, tree);
  const toClass = new Map<string, number>();
  const how = new Map<string, MatchKind | 'yours'>();
  const unmapped: string[] = [];
  for (const raw of datasetLabels) {
    if (Object.hasOwn(overrides, raw)) {
      const id = overrides[raw];
      const i = id === null ? -1 : classes.labels.findIndex((l) => l.id === id);
      if (i >= 0) {
        toClass.set(raw, i);
        how.set(raw, 'yours');
      } else unmapped.push(raw);
      continue;
    }
    const m = auto.get(raw);
    if (m) {
      toClass.set(raw, m.index);
      how.set(raw, m.how);
    } else unmapped.push(raw);
  }
  return { toClass, how, unmapped };
}

/**
 * A class list made of the dataset's own labels: known codes get their full name as the prompt
 * text ("mel" is prompted as "melanoma"), the rest are prompted as written.
 */
export function datasetLabelSet(datasetLabels: readonly string[]): LabelSet {
  const labels = datasetLabels.map((raw, i): Label => {
    const name = DATASET_SYNONYMS[normaliseLabel(raw)]?.[0] ?? raw.replace(/[_]+/g, ' ').trim();
    return { id: `dataset:${i}`, name: name === raw ? raw : `${name} (${raw})`, aliases: [name] };
  });
  return { id: 'dataset', name: "The dataset's own labels", kind: 'custom', labels };
}

/**
 * Prompt building: templates x aliases. Must stay identical to tools/model's prompt list
 * (docs/bundle-format.md, "Prompts shipped precomputed"); prompts.test.ts checks every prompt
 * built here against the bundle's prompts.json.
 */
import { CONCEPT_REF_PROMPTS, CONCEPT_TEMPLATES, CONCEPT_TERMS, DISEASE_TEMPLATES, OPENAI_SKIN_TEMPLATES } from './data';

export interface Label {
  /** Unique within its label set. */
  id: string;
  /** Shown to the user. */
  name: string;
  /** Texts put into the templates; the label's embedding is the mean over all of them. */
  aliases: string[];
  /** The ontology node this label stands for, when there is one (the first, when several). */
  nodeId?: string;
  /**
   * Every node the label stands for, when more than one: near-duplicate nodes merged into one
   * label (src/core/ontology-aliases.json, `sameAs`). The roll-up shares the label's probability
   * equally among them, so the nodes' probabilities add up to the label's.
   */
  nodeIds?: string[];
}

export type TemplateSetId = 'openai-skin' | 'derm1m-disease';

export interface TemplateSet {
  id: TemplateSetId;
  name: string;
  templates: readonly string[];
}

export const TEMPLATE_SETS: Record<TemplateSetId, TemplateSet> = {
  'openai-skin': { id: 'openai-skin', name: 'OpenAI skin templates (Derm1M zero-shot, 8)', templates: OPENAI_SKIN_TEMPLATES },
  'derm1m-disease': { id: 'derm1m-disease', name: 'Derm1M disease templates (9)', templates: DISEASE_TEMPLATES },
};

export const DEFAULT_TEMPLATE_SET: TemplateSetId = 'openai-skin';

/** The template set with this id; the default for an unknown id (e.g. from an old setting). */
export function templateSetById(id: string): TemplateSet {
  return Object.hasOwn(TEMPLATE_SETS, id) ? TEMPLATE_SETS[id as TemplateSetId] : TEMPLATE_SETS[DEFAULT_TEMPLATE_SET];
}

/** Python's `template.replace("{}", text)` (every occurrence, no `$` surprises). */
export function fillTemplate(template: string, text: string): string {
  return template.split('{}').join(text);
}

/** Every prompt of a label: for each alias, for each template. */
export function promptsForLabel(label: Pick<Label, 'aliases'>, templates: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of label.aliases) for (const t of templates) out.push(fillTemplate(t, a));
  return out;
}

/** Distinct prompts of many labels, in first-appearance order. */
export function promptsForLabels(labels: readonly Pick<Label, 'aliases'>[], templates: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const l of labels) for (const p of promptsForLabel(l, templates)) seen.add(p);
  return [...seen];
}

export interface Concept {
  /** Key in ConceptTerms.json, e.g. 'brown(hyperpigmentation)'. */
  id: string;
  displayName: string;
  terms: string[];
}

/** 'brown(hyperpigmentation)' -> 'Brown (hyperpigmentation)', 'dome-shaped' -> 'Dome-shaped'. */
export function conceptDisplayName(key: string): string {
  const s = key.replace(/_/g, ' ').replace(/\s*\(\s*/g, ' (').replace(/\s*\)\s*/g, ')').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function concepts(terms: Record<string, string[]> = CONCEPT_TERMS): Concept[] {
  return Object.entries(terms).map(([id, t]) => ({ id, displayName: conceptDisplayName(id), terms: [...t] }));
}

export interface ConceptPromptSpec {
  templates: readonly string[];
  /** refs[i]: reference prompts for templates[i]. */
  refs: readonly (readonly string[])[];
}

export const CONCEPT_PROMPTS: ConceptPromptSpec = { templates: CONCEPT_TEMPLATES, refs: CONCEPT_REF_PROMPTS };

/** Every concept prompt: each term under each template, then every reference prompt. */
export function conceptPromptList(list: readonly Concept[] = concepts(), spec: ConceptPromptSpec = CONCEPT_PROMPTS): string[] {
  const seen = new Set<string>();
  for (const c of list) for (const term of c.terms) for (const t of spec.templates) seen.add(fillTemplate(t, term));
  for (const r of spec.refs) for (const p of r) seen.add(p);
  return [...seen];
}

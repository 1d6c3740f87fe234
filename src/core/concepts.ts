/**
 * MONET-style concept presence (Derm1M concept_annotation, calculate_concept_presence_score):
 * for each concept and each template t,
 *   target_t = mean over the concept's terms of cos(image, emb(t with term)),
 *   ref_t    = mean over the template's reference prompts of cos(image, emb(ref)),
 *   score_t  = softmax([target_t, ref_t] x CONCEPT_SCALE)[0];
 * score = mean of score_t over templates (0..1; 0.5 = no evidence either way).
 */
import { AppError } from './errors';
import { CONCEPT_PROMPTS, concepts as defaultConcepts, fillTemplate, type Concept, type ConceptPromptSpec } from './prompts';
import type { PromptLookup } from './zeroshot';

/** 1 / temperature: exp(4.5944), about 98.93. */
export const CONCEPT_SCALE = Math.exp(4.5944);

export interface ConceptScore {
  concept: Concept;
  score: number;
  /** score_t per template, in spec.templates order. */
  perTemplate: number[];
}

function cosineWith(image: Float32Array, imageNorm: number, lookup: PromptLookup, prompt: string): number {
  const v = lookup(prompt);
  if (!v) throw new AppError('internal', `The embedding of the concept prompt "${prompt}" is missing; compute it first.`);
  if (v.length !== image.length) throw new AppError('model-output-invalid', `Text embedding of "${prompt}" has ${v.length} values, expected ${image.length}.`);
  let d = 0;
  let n = 0;
  for (let i = 0; i < v.length; i++) (d += v[i] * image[i]), (n += v[i] * v[i]);
  const den = Math.sqrt(n) * imageNorm;
  return den > 0 ? d / den : 0;
}

/** softmax([a, b] * scale)[0], stable. */
export function pairSoftmax(a: number, b: number, scale = CONCEPT_SCALE): number {
  return 1 / (1 + Math.exp((b - a) * scale));
}

/** Concept presence scores for one image embedding, highest first. */
export function conceptScores(
  image: Float32Array,
  lookup: PromptLookup,
  list: readonly Concept[] = defaultConcepts(),
  spec: ConceptPromptSpec = CONCEPT_PROMPTS,
): ConceptScore[] {
  if (spec.refs.length !== spec.templates.length) throw new AppError('internal', 'Concept templates and reference prompts do not pair up.');
  let ss = 0;
  for (let i = 0; i < image.length; i++) ss += image[i] * image[i];
  const norm = Math.sqrt(ss);
  const refMeans = spec.refs.map((refs) => refs.reduce((s, p) => s + cosineWith(image, norm, lookup, p), 0) / refs.length);
  const out = list.map((concept) => {
    const perTemplate = spec.templates.map((t, j) => {
      const target = concept.terms.reduce((s, term) => s + cosineWith(image, norm, lookup, fillTemplate(t, term)), 0) / concept.terms.length;
      return pairSoftmax(target, refMeans[j]);
    });
    return { concept, score: perTemplate.reduce((a, b) => a + b, 0) / perTemplate.length, perTemplate };
  });
  return out.sort((a, b) => b.score - a.score);
}

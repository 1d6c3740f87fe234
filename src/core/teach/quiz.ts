/**
 * Quiz questions from a teaching case: the true diagnosis, the model's own top answers (what a
 * resident must learn to tell apart from the truth) and plausible distractors from the same
 * ontology branch (closest relatives first), in a seeded order. Pure.
 */
import { ancestry, leaves, type OntologyTree } from '../ontology';
import type { Label } from '../prompts';
import { seededShuffle } from '../random';

export type ChoiceKind = 'truth' | 'model' | 'branch';

export interface Choice {
  labelId: string;
  name: string;
  kind: ChoiceKind;
}

export interface QuizInput {
  /** The leaf label of the true diagnosis. */
  truth: string;
  /** The model's ranking over the same leaf labels, best first (may be empty: no model yet). */
  modelRanked: readonly { id: string }[];
  /** Every leaf label (the ontology's leaf label set). */
  labels: readonly Label[];
  tree: OntologyTree;
  /** How many choices (at least 2). */
  n: number;
  seed: number;
}

function nodesOf(l: Label): string[] {
  return l.nodeIds ?? (l.nodeId ? [l.nodeId] : []);
}

export function quizChoices(q: QuizInput): Choice[] {
  const byId = new Map(q.labels.map((l) => [l.id, l]));
  const truth = byId.get(q.truth);
  if (!truth) throw new Error(`quizChoices: "${q.truth}" is not a leaf label`);
  const n = Math.max(2, Math.min(q.n, q.labels.length));
  const chosen = new Map<string, Choice>([[truth.id, { labelId: truth.id, name: truth.name, kind: 'truth' }]]);
  const add = (l: Label | undefined, kind: ChoiceKind) => {
    if (l && !chosen.has(l.id) && chosen.size < n) chosen.set(l.id, { labelId: l.id, name: l.name, kind });
  };
  // The model's confusions: up to half of the wrong choices.
  const modelSlots = Math.ceil((n - 1) / 2);
  for (const r of q.modelRanked) {
    if ([...chosen.values()].filter((c) => c.kind === 'model').length >= modelSlots) break;
    add(byId.get(r.id), 'model');
  }
  // Relatives: labels under the truth's parent, then its grandparent..., each ring in a seeded order.
  const labelsByNode = new Map<string, Label>();
  for (const l of q.labels) for (const id of nodesOf(l)) labelsByNode.set(id, l);
  const truthNode = truth.nodeId;
  if (truthNode) {
    for (const ancestor of ancestry(q.tree, truthNode).reverse().slice(1)) {
      if (chosen.size >= n) break;
      const ring = leaves(q.tree, ancestor)
        .map((node) => labelsByNode.get(node.id))
        .filter((l): l is Label => Boolean(l));
      for (const l of seededShuffle([...new Set(ring)], q.seed)) add(l, 'branch');
    }
  }
  // Anything else, should the ontology be too small.
  for (const l of seededShuffle(q.labels, q.seed)) add(l, 'branch');
  return seededShuffle([...chosen.values()], q.seed ^ 0x5bd1e995);
}

export interface Answer {
  caseId: string;
  chosen: string;
  truth: string;
}

export interface Score {
  correct: number;
  total: number;
  mistakes: Answer[];
}

export function scoreAnswers(answers: readonly Answer[]): Score {
  const mistakes = answers.filter((a) => a.chosen !== a.truth);
  return { correct: answers.length - mistakes.length, total: answers.length, mistakes };
}

/** An answer for a case replaces any earlier one for it (one answer per case counts). */
export function recordAnswer(answers: readonly Answer[], a: Answer): Answer[] {
  return [...answers.filter((x) => x.caseId !== a.caseId), a];
}

/**
 * Where a quiz stands: the answers that belong to this pack's cases (in case order; answers to
 * cases no longer in the pack are dropped) and the index of the first unanswered case (null: done).
 */
export function quizPosition(caseIds: readonly string[], answers: readonly Answer[]): { answered: Answer[]; next: number | null } {
  const byCase = new Map(answers.map((a) => [a.caseId, a]));
  const answered = caseIds.flatMap((id) => (byCase.has(id) ? [byCase.get(id)!] : []));
  const next = caseIds.findIndex((id) => !byCase.has(id));
  return { answered, next: next < 0 ? null : next };
}

import { describe, expect, it } from 'vitest';
import { ONTOLOGY, ONTOLOGY_ALIASES, ONTOLOGY_SPLITS } from '../data';
import { leafLabelSet } from '../labels';
import { ancestry, buildOntology } from '../ontology';
import { quizChoices, quizPosition, recordAnswer, scoreAnswers } from './quiz';

const tree = buildOntology(ONTOLOGY, ONTOLOGY_SPLITS, ONTOLOGY_ALIASES);
const labels = leafLabelSet(tree).labels;
const byName = (name: string) => labels.find((l) => l.name.toLowerCase() === name.toLowerCase())!;

describe('quizChoices', () => {
  const truth = byName('Dermatofibroma') ?? labels[0];
  it('holds the truth once, the model’s confusions, then relatives from the same branch', () => {
    const model = [truth, ...labels.filter((l) => l.id !== truth.id).slice(100, 103)].map((l) => ({ id: l.id }));
    const choices = quizChoices({ truth: truth.id, modelRanked: model, labels, tree, n: 4, seed: 7 });
    expect(choices).toHaveLength(4);
    expect(choices.filter((c) => c.kind === 'truth').map((c) => c.labelId)).toEqual([truth.id]);
    expect(new Set(choices.map((c) => c.labelId)).size).toBe(4);
    // Two model answers (ceil(3/2)), the model's top wrong ones in order.
    expect(choices.filter((c) => c.kind === 'model').map((c) => c.labelId).sort()).toEqual(model.slice(1, 3).map((m) => m.id).sort());
    // The branch distractor shares the truth's closest ancestor that has other leaves.
    const branch = choices.find((c) => c.kind === 'branch')!;
    const parentOf = (id: string) => ancestry(tree, labels.find((l) => l.id === id)!.nodeId!).slice(0, -1);
    const shared = parentOf(truth.id).filter((a) => parentOf(branch.labelId).includes(a));
    expect(shared.length).toBeGreaterThan(0);
  });
  it('is deterministic for a seed and varies with it', () => {
    const q = { truth: truth.id, modelRanked: [], labels, tree, n: 5, seed: 1 };
    expect(quizChoices(q)).toEqual(quizChoices(q));
    const orders = new Set([1, 2, 3, 4, 5, 6].map((seed) => quizChoices({ ...q, seed }).map((c) => c.labelId).join()));
    expect(orders.size).toBeGreaterThan(1);
  });
  it('without a model, every wrong choice comes from the ontology branch', () => {
    const choices = quizChoices({ truth: truth.id, modelRanked: [], labels, tree, n: 4, seed: 3 });
    expect(choices.map((c) => c.kind).sort()).toEqual(['branch', 'branch', 'branch', 'truth']);
  });
  it('refuses a truth that is not a leaf label', () => {
    expect(() => quizChoices({ truth: 'nope', modelRanked: [], labels, tree, n: 4, seed: 0 })).toThrow(/not a leaf label/);
  });
});

describe('scoreAnswers', () => {
  it('counts correct answers and lists the mistakes', () => {
    const s = scoreAnswers([
      { caseId: 'a', chosen: 'x', truth: 'x' },
      { caseId: 'b', chosen: 'y', truth: 'z' },
    ]);
    expect(s).toEqual({ correct: 1, total: 2, mistakes: [{ caseId: 'b', chosen: 'y', truth: 'z' }] });
  });
});

describe('quiz progress', () => {
  const a = (caseId: string, chosen: string, truth = 'x') => ({ caseId, chosen, truth });
  it('keeps one answer per case, the latest', () => {
    expect(recordAnswer([a('c1', 'y'), a('c2', 'x')], a('c1', 'x'))).toEqual([a('c2', 'x'), a('c1', 'x')]);
  });
  it('finds the first unanswered case, in case order, and ignores answers to unknown cases', () => {
    expect(quizPosition(['c1', 'c2', 'c3'], [])).toEqual({ answered: [], next: 0 });
    expect(quizPosition(['c1', 'c2', 'c3'], [a('c2', 'x'), a('c1', 'y')])).toEqual({ answered: [a('c1', 'y'), a('c2', 'x')], next: 2 });
    expect(quizPosition(['c1', 'c2', 'c3'], [a('c3', 'x')]).next).toBe(0);
    expect(quizPosition(['c1'], [a('c1', 'x'), a('gone', 'x')])).toEqual({ answered: [a('c1', 'x')], next: null });
  });
});

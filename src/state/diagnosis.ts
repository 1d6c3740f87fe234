/**
 * The diagnosis of the active case as React hooks. The image embedding and the label classifier
 * are separate queries, so changing the label set, the templates or the level only re-runs a
 * matrix product over cached embeddings; the model is not called.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { conceptScores } from '../core/concepts';
import { ONTOLOGY, ONTOLOGY_ALIASES, ONTOLOGY_SPLITS } from '../core/data';
import { builtinLabelSets, leafLabelSet, parseCustomLabels, type LabelSet } from '../core/labels';
import { buildOntology, type OntologyTree } from '../core/ontology';
import { workingCrop } from '../core/crop';
import { conceptPromptList, promptsForLabels, templateSetById } from '../core/prompts';
import { buildClassifier, classify, lowConfidence, probsByNode, rollUp, type Classifier } from '../core/zeroshot';
import type { SavedCase } from '../storage/cases';
import { pixelsOf, useCases } from './cases';
import { embedImage, embedTexts } from './embed';
import type { LoadedModel } from './model';
import { useSettings } from './settings';
import { setTextProgress } from './text-progress';

export const ontologyTree: OntologyTree = buildOntology(ONTOLOGY, ONTOLOGY_SPLITS, ONTOLOGY_ALIASES);
export const BUILTIN_LABEL_SETS: LabelSet[] = builtinLabelSets(ontologyTree);
const LEAVES = leafLabelSet(ontologyTree);

export function labelSetById(id: string, customText: string): LabelSet {
  if (id === 'custom') return parseCustomLabels(customText);
  return BUILTIN_LABEL_SETS.find((s) => s.id === id) ?? LEAVES;
}


export interface CaseEmbedding {
  embedding: Float32Array;
  tensorSha256: string;
  variant: string;
  backend: string;
  fromCache: boolean;
}

/**
 * The case's image embedding: from the saved case, else the embedding cache, else the model. The
 * result is saved onto the case by an effect, not inside the query: saving inside would re-render
 * the case with a saved result while the query still runs (a flicker of "from cache").
 */
export function useCaseEmbedding(c: SavedCase | null, model: LoadedModel | undefined, opts: { save?: boolean } = {}) {
  const save = opts.save ?? true;
  const bundleId = model?.source.manifest.id;
  const identity = model?.source.identity;
  // A result saved by this very bundle (id and identity: another bundle reusing the id is not it) in
  // the variant this model runs (an "exact" model never shows an int8 result).
  const saved = save && c?.result && c.result.bundleId === bundleId && c.result.identity === identity && c.result.variant === model?.engine.choice?.variant ? c.result : undefined;
  const query = useQuery({
    // The photo's sha256 is part of the key: a probable repeat that turns out to be another photo
    // gets its own query, and a late result of the first one never lands on it.
    queryKey: ['case-embedding', model?.key, c?.id, c?.photoSha256, c?.crop?.x, c?.crop?.y, c?.crop?.size],
    enabled: Boolean(c && model),
    staleTime: Infinity,
    retry: false,
    // A saved result is there at the first render (a reopened or repeated photo shows at once).
    initialData: saved ? (): CaseEmbedding => ({ ...saved, fromCache: true }) : undefined,
    queryFn: async ({ signal }): Promise<CaseEmbedding> => {
      if (saved) return { ...saved, fromCache: true };
      const photo = await pixelsOf(c!);
      const r = await embedImage(model!, photo.pixels, workingCrop(c!.crop, photo.scale, photo.pixels.width, photo.pixels.height), { signal });
      return { embedding: r.embedding, tensorSha256: r.tensorSha256, variant: r.variant, backend: r.backend, fromCache: r.fromCache };
    },
  });
  const data = query.data;
  const caseId = c?.id;
  const savedSha = saved?.tensorSha256;
  useEffect(() => {
    if (!save || !caseId || !bundleId || !identity || !data || savedSha === data.tensorSha256) return;
    useCases.getState().setResult(caseId, { bundleId, identity, variant: data.variant, backend: data.backend, tensorSha256: data.tensorSha256, embedding: data.embedding });
  }, [save, caseId, bundleId, identity, data, savedSha]);
  return query;
}

/** The classifier for a label set and template set (text embeddings: shipped, cached or computed). */
export function useClassifier(model: LoadedModel | undefined, labelSet: LabelSet | null, templateSetId: string) {
  const labelsKey = labelSet?.kind === 'custom' ? labelSet.labels.map((l) => l.aliases.join('|')).join('\n') : labelSet?.id;
  const query = useQuery({
    queryKey: ['classifier', model?.key, labelsKey, templateSetId],
    enabled: Boolean(model && labelSet),
    staleTime: Infinity,
    retry: false,
    queryFn: async ({ signal }): Promise<Classifier> => {
      const templates = templateSetById(templateSetId).templates;
      try {
        const table = await embedTexts(model!, promptsForLabels(labelSet!.labels, templates), { signal, onProgress: (done, total) => setTextProgress({ done, total }) });
        return buildClassifier(labelSet!.labels, templates, (p) => table.get(p));
      } finally {
        setTextProgress(null);
      }
    },
  });
  useRetryWhenOnline(query.isError, query.refetch);
  return query;
}

/** A query that failed (e.g. the text model could not be downloaded offline) runs again when the connection is back. */
function useRetryWhenOnline(failed: boolean, refetch: () => unknown): void {
  useEffect(() => {
    if (!failed) return;
    const retry = () => void refetch();
    window.addEventListener('online', retry, { once: true });
    return () => window.removeEventListener('online', retry);
  }, [failed, refetch]);
}

/** The text embeddings of every concept prompt (all shipped in the bundles). */
export function useConceptTable(model: LoadedModel | undefined) {
  return useQuery({
    queryKey: ['concept-table', model?.key],
    enabled: Boolean(model),
    staleTime: Infinity,
    retry: false,
    queryFn: ({ signal }) => embedTexts(model!, conceptPromptList(), { signal }),
  });
}

export interface Diagnosis {
  ranked: { id: string; name: string; prob: number; nodeId?: string }[];
  lowConfidence: boolean;
  /** Rolled-up probabilities per ontology node, from the leaves classifier. */
  rolled: Map<string, number>;
  concepts: { id: string; name: string; score: number }[];
}

/**
 * Pure re-ranking from cached embeddings: milliseconds, no model call. The roll-up and concept
 * scores do not depend on the chosen label set, so a label change recomputes (and re-renders)
 * only the ranking: `rolled` and `concepts` keep their identity.
 */
export function useDiagnosis(
  model: LoadedModel | undefined,
  embedding: Float32Array | undefined,
  classifier: Classifier | undefined,
  leaves: Classifier | undefined,
  conceptTable: Map<string, Float32Array> | undefined,
): Diagnosis | null {
  const scale = model?.source.manifest.logitScale ?? 100;
  const rolled = useMemo(
    () => (embedding && leaves ? rollUp(probsByNode(classify(embedding, leaves, scale)), ontologyTree) : new Map<string, number>()),
    [embedding, leaves, scale],
  );
  const concepts = useMemo(
    () =>
      embedding && conceptTable
        ? conceptScores(embedding, (p) => conceptTable.get(p)).map((c) => ({ id: c.concept.id, name: c.concept.displayName, score: c.score }))
        : [],
    [embedding, conceptTable],
  );
  const ranking = useMemo(() => {
    if (!embedding || !classifier) return null;
    const result = classify(embedding, classifier, scale);
    const ranked = result.ranked.map((r) => ({ id: r.label.id, name: r.label.name, prob: r.prob, nodeId: r.label.nodeId }));
    return { ranked, lowConfidence: lowConfidence(result.ranked) };
  }, [embedding, classifier, scale]);
  return useMemo(() => (ranking ? { ...ranking, rolled, concepts } : null), [ranking, rolled, concepts]);
}


/** The label set the settings choose (the leaves when a custom list no longer parses). */
export function useChosenLabelSet(): LabelSet {
  const labelSetId = useSettings((s) => s.labelSetId);
  const customLabels = useSettings((s) => s.customLabels);
  return useMemo(() => {
    try {
      return labelSetById(labelSetId, customLabels);
    } catch {
      return LEAVES;
    }
  }, [labelSetId, customLabels]);
}

/** Everything one model says about one case, for the chosen labels and templates. */
export function useCaseDiagnosis(c: SavedCase | null, model: LoadedModel | undefined, labelSet: LabelSet, opts: { save?: boolean } = {}) {
  const templateSetId = useSettings((s) => s.templateSetId);
  const emb = useCaseEmbedding(c, model, opts);
  const classifier = useClassifier(model, labelSet, templateSetId);
  const leaves = useClassifier(model, LEAVES, templateSetId);
  const conceptTable = useConceptTable(model);
  const diagnosis = useDiagnosis(model, emb.data?.embedding, classifier.data, leaves.data, conceptTable.data);
  return { emb, classifier, diagnosis, error: emb.error ?? classifier.error ?? leaves.error ?? conceptTable.error };
}

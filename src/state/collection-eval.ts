/**
 * Zero-shot evaluation, retrieval metrics and the few-shot probe of a collection, from cached
 * embeddings: the class matrix comes from the text embeddings (shipped, cached or computed once),
 * and the metrics are computed in the inference worker (core/eval through EngineClient). Changing
 * the class list, templates, mapping or stratification only re-runs that computation
 * (milliseconds); the image model is not called.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ModelIdentity } from '../core/collections/report';
import type { CollectionEntry, CollectionMeta } from '../core/collections/types';
import type { Evaluation, ProbeComparison } from '../core/eval/evaluate';
import type { SplitSpec } from '../core/eval/split';
import type { LabelSet } from '../core/labels';
import { towerFiles, variantOf } from '../core/manifest';
import type { Classifier } from '../core/zeroshot';
import { classListFor, mappingFor, MATRIX_QUERY_GC_MS, truthOf, useCollectionMatrix, type CollectionMatrix } from './collection-data';
import { useClassifier } from './diagnosis';
import type { LoadedModel } from './model';

export interface EvalChoice {
  labelSetId: string;
  templateSetId: string;
  /** A metadata column to stratify every metric by, or null. */
  stratifyBy: string | null;
}

/** A stable text for a class list's content (custom lists have one id for any content). */
function classesKey(c: LabelSet): string {
  return c.kind === 'custom' ? `${c.id}:${c.labels.map((l) => l.aliases.join('|')).join('\n')}` : c.id;
}

function strataOf(m: CollectionMatrix, column: string | null) {
  return column ? { [column]: m.rows.map((e) => e.metadata[column] ?? null) } : undefined;
}

export interface ZeroShotResult {
  evaluation: Evaluation;
  /** ms from request to reply (the worker's computation plus the transfer). */
  ms: number;
  /** The photos evaluated, row by row, and the class list. */
  rows: CollectionEntry[];
  classes: LabelSet;
}

/** Everything the evaluation screen and the gallery's prediction filter need, for one choice. */
export function useCollectionEvaluation(meta: CollectionMeta | undefined, model: LoadedModel | undefined, choice: EvalChoice) {
  const matrix = useCollectionMatrix(meta?.id, model);
  const classes = useMemo(() => {
    if (!meta) return { set: null, error: null };
    try {
      return { set: classListFor(meta, choice.labelSetId), error: null };
    } catch (e) {
      return { set: null, error: e };
    }
  }, [meta, choice.labelSetId]);
  const mapping = useMemo(() => (meta && classes.set ? mappingFor(meta, classes.set) : null), [meta, classes.set]);
  const classifier = useClassifier(model, classes.set, choice.templateSetId);
  const m = matrix.data;
  const truth = useMemo(() => (m && mapping ? truthOf(m.rows, mapping) : null), [m, mapping]);
  const overridesKey = meta && classes.set ? JSON.stringify(meta.mapping.overrides[classes.set.id] ?? {}) : '';
  const zeroShot = useQuery<ZeroShotResult>({
    queryKey: ['collection-zeroshot', meta?.id, m?.modelKey, m?.rows.length, classes.set && classesKey(classes.set), choice.templateSetId, choice.stratifyBy, overridesKey],
    enabled: Boolean(model && m && m.rows.length > 0 && classifier.data && truth),
    staleTime: Infinity,
    gcTime: MATRIX_QUERY_GC_MS,
    retry: false,
    placeholderData: (prev) => prev,
    queryFn: async ({ signal }): Promise<ZeroShotResult> => {
      const t0 = performance.now();
      const evaluation = await model!.engine.evaluate(
        { images: m!.images, dim: m!.dim, classWeights: classifier.data!.weights, logitScale: model!.source.manifest.logitScale, labels: truth!, strata: strataOf(m!, choice.stratifyBy) },
        { signal },
      );
      return { evaluation, ms: performance.now() - t0, rows: m!.rows, classes: classes.set! };
    },
  });
  const retrieval = useQuery({
    queryKey: ['collection-retrieval', meta?.id, m?.modelKey, m?.rows.length, classes.set && classesKey(classes.set), choice.templateSetId, overridesKey],
    enabled: Boolean(model && m && m.rows.length > 0 && classifier.data && truth && truth.some((t) => t >= 0)),
    staleTime: Infinity,
    gcTime: MATRIX_QUERY_GC_MS,
    retry: false,
    queryFn: ({ signal }) => {
      const k = classifier.data!.labels.length;
      return model!.engine.retrieval({ images: m!.images, imageLabels: truth!, texts: classifier.data!.weights, textLabels: Int32Array.from({ length: k }, (_, i) => i), dim: m!.dim }, { signal });
    },
  });
  return { matrix, classes: classes.set, classesError: classes.error, mapping, classifier, truth, zeroShot, retrieval };
}

export interface ProbeSettings {
  split: SplitSpec;
  seed: number;
}

/** Train the linear probe in the worker on a seeded split, and evaluate it beside zero-shot on the same test photos. */
export async function runProbe(model: LoadedModel, m: CollectionMatrix, truth: Int32Array, classifier: Classifier, settings: ProbeSettings, stratifyBy: string | null): Promise<{ result: ProbeComparison; ms: number }> {
  const t0 = performance.now();
  const result = await model.engine.trainProbe({
    images: m.images,
    dim: m.dim,
    labels: truth,
    numClasses: classifier.labels.length,
    split: settings.split,
    seed: settings.seed,
    zeroShot: { classWeights: classifier.weights, logitScale: model.source.manifest.logitScale },
    strata: strataOf(m, stratifyBy),
  });
  return { result, ms: performance.now() - t0 };
}

/** Which weights produced the numbers: bundle, source, variant, backend and the files' sha256. */
export function modelIdentity(model: LoadedModel): ModelIdentity {
  const m = model.source.manifest;
  const choice = model.engine.choice;
  const variant = choice?.variant ?? 'unknown';
  const v = choice ? variantOf(m, choice.variant) : null;
  const files = v ? [...Object.values(towerFiles(v, 'image')), ...Object.values(towerFiles(v, 'text'))].filter((f): f is string => Boolean(f)) : [];
  return {
    bundleId: m.id,
    name: m.name,
    demo: m.demo,
    source: { ...m.source },
    architecture: m.architecture,
    variant,
    backend: choice?.backend ?? 'unknown',
    weights: files.map((file) => ({ file, sha256: m.files[file]?.sha256 ?? '' })),
    logitScale: m.logitScale,
  };
}

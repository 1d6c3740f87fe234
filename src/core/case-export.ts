/**
 * The exported case: everything needed to check or reproduce a result elsewhere (which model,
 * variant and backend, which photo and crop, the embedding, and every label's probability).
 */
export interface CaseExportInput {
  caseName: string;
  createdAt: number;
  bundleId: string;
  bundleName: string;
  demo: boolean;
  /** The checkpoint the model was converted from in the browser (manifest.ts: checkpointOf). */
  checkpoint?: { file: string; sha256: string };
  variant: string;
  backend: string;
  photoSha256: string;
  tensorSha256: string;
  photoSize: { width: number; height: number };
  crop: { x: number; y: number; size: number } | null;
  embedding: ArrayLike<number>;
  logitScale: number;
  labelSet: { id: string; name: string };
  templateSet: { id: string; templates: readonly string[] };
  ranked: readonly { id: string; name: string; prob: number }[];
  concepts: readonly { id: string; name: string; score: number }[];
}

export const CASE_EXPORT_VERSION = 1;

export function buildCaseExport(c: CaseExportInput, now = new Date()) {
  return {
    format: 'dermlip-explorer-case',
    version: CASE_EXPORT_VERSION,
    exportedAt: now.toISOString(),
    notice: 'Research and teaching tool, not a medical device.' + (c.demo ? ' Demo model with random weights: predictions are meaningless.' : ''),
    case: { name: c.caseName, createdAt: new Date(c.createdAt).toISOString() },
    model: { bundleId: c.bundleId, name: c.bundleName, demo: c.demo, variant: c.variant, backend: c.backend, logitScale: c.logitScale, ...(c.checkpoint ? { checkpoint: c.checkpoint } : {}) },
    image: { sha256: c.photoSha256, width: c.photoSize.width, height: c.photoSize.height, crop: c.crop ?? 'centre', tensorSha256: c.tensorSha256 },
    embedding: Array.from(c.embedding),
    labelSet: c.labelSet,
    templates: c.templateSet,
    labels: c.ranked.map((r) => ({ id: r.id, name: r.name, probability: r.prob })),
    topConcepts: c.concepts.slice(0, 10).map((k) => ({ id: k.id, name: k.name, score: k.score })),
  };
}

export function caseExportFileName(c: { caseName: string }, now = new Date()): string {
  const base = c.caseName.replace(/\.[a-z0-9]+$/i, '').replace(/[^a-z0-9_-]+/gi, '-').replace(/^-+|-+$/g, '') || 'case';
  return `${base}-${now.toISOString().slice(0, 10)}.dermlip.json`;
}

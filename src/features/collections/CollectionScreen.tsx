import { Link, useParams } from 'wouter';
import { useCollections } from '../../state/collections';
import { useModel } from '../../state/model';
import { EvaluateTab } from './EvaluateTab';
import { ExportPanel } from './ExportPanel';
import { GalleryTab } from './GalleryTab';
import { IndexingBar } from './IndexingBar';
import { MappingTab } from './MappingTab';
import { ResumeImport } from './ResumeImport';
import { SearchTab } from './SearchTab';
import { SkippedFiles } from './SkippedFiles';
import { storageText } from './storage-text';

const TABS = [
  { tab: '', label: 'Gallery' },
  { tab: 'search', label: 'Search' },
  { tab: 'evaluate', label: 'Evaluate' },
  { tab: 'mapping', label: 'Labels' },
] as const;

/** One collection: progress, and its gallery, search, evaluation and label mapping (one URL each). */
export function CollectionScreen() {
  const { id, tab = '' } = useParams<{ id: string; tab?: string }>();
  const meta = useCollections((s) => s.collections.find((c) => c.id === id));
  const hydrated = useCollections((s) => s.hydrated);
  const model = useModel().data;
  if (!meta) {
    return (
      <section className="panel">
        <h2>Collection</h2>
        <p>{hydrated ? 'There is no such collection on this device.' : 'Reading collections…'}</p>
        <Link href="/collections">All collections</Link>
      </section>
    );
  }
  const current = TABS.find((t) => t.tab === tab) ?? TABS[0];
  return (
    <div className="collection">
      <p className="muted">
        <Link href="/collections">Collections</Link> ›
      </p>
      <h2 data-testid="collection-title">{meta.name}</h2>
      <p className="muted" data-testid="collection-facts">
        {meta.count} photos · {storageText(meta.photoStorage)}
        {meta.labelSource.kind === 'csv' && ` · labels from ${meta.labelSource.file} (${meta.labelSource.idColumn} → ${meta.labelSource.labelColumn}${meta.labelSource.dataset ? `, ${meta.labelSource.dataset}` : ''})`}
        {meta.labelSource.kind === 'folders' && ' · labels from the folders'}
      </p>
      <ResumeImport meta={meta} />
      <IndexingBar meta={meta} model={model} />
      {meta.labelNotes.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
      <SkippedFiles skipped={meta.skipped} total={meta.skippedCount} />
      <ExportPanel meta={meta} />
      <nav className="tabs" aria-label="Collection views">
        {TABS.map((t) => (
          <Link key={t.tab} href={`/collections/${meta.id}${t.tab ? `/${t.tab}` : ''}`} aria-current={t === current ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      <h3 className="sr-only">{current.label}</h3>
      {current.tab === '' && <GalleryTab meta={meta} model={model} />}
      {current.tab === 'search' && <SearchTab meta={meta} model={model} />}
      {current.tab === 'evaluate' && <EvaluateTab meta={meta} model={model} />}
      {current.tab === 'mapping' && <MappingTab meta={meta} />}
    </div>
  );
}

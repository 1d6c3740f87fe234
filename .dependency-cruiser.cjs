/**
 * The layers of src/ (ARCHITECTURE.md), enforced in `npm test` (npm run lint:structure).
 * core: pure logic. engine: the worker and its client. storage, media: browser storage and photo
 * decoding. state: stores and hooks, the only way screens reach engine and storage.
 * features: screens. components: shared presentational pieces.
 */
const layer = (name) => `^src/${name}/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles make load order and ownership unclear.', from: {}, to: { circular: true } },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core/ is pure TypeScript: no other layer, no DOM libraries, no Node built-ins.',
      from: { path: layer('core'), pathNot: '\\.test\\.ts$' },
      to: { path: ['^src/(engine|storage|media|state|features|components)/', 'node_modules/(react|react-dom|zustand|idb-keyval|@tanstack|onnxruntime-web|wouter)/'] },
    },
    { name: 'core-no-node', severity: 'error', from: { path: layer('core'), pathNot: '\\.test\\.ts$' }, to: { dependencyTypes: ['core'] } },
    {
      name: 'engine-layer',
      severity: 'error',
      comment: 'engine/ uses core/ only.',
      from: { path: layer('engine') },
      to: { path: '^src/(storage|media|state|features|components)/' },
    },
    {
      name: 'storage-and-media-layer',
      severity: 'error',
      comment: 'storage/ and media/ use core/ (and the engine protocol types) only.',
      from: { path: '^src/(storage|media)/' },
      to: { path: ['^src/(state|features|components)/', '^src/engine/(?!protocol\\.ts$)'] },
    },
    { name: 'storage-media-apart', severity: 'error', from: { path: layer('media') }, to: { path: layer('storage') } },
    { name: 'state-layer', severity: 'error', comment: 'state/ never imports screens.', from: { path: layer('state') }, to: { path: '^src/(features|components)/' } },
    {
      name: 'screens-through-state',
      severity: 'error',
      comment: 'Screens reach storage, media and the engine only through state/ (engine/protocol.ts types are shared).',
      from: { path: '^src/(features|App\\.tsx|main\\.tsx)' },
      to: { path: ['^src/(storage|media)/', '^src/engine/(?!protocol\\.ts$)'] },
    },
    {
      name: 'components-are-generic',
      severity: 'error',
      comment: 'components/ know nothing of the app.',
      from: { path: layer('components') },
      to: { path: '^src/(core|engine|storage|media|state|features)/' },
    },
    {
      name: 'onnxruntime-only-in-the-worker',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/engine/(worker|warmup)\\.ts$' },
      to: { path: 'node_modules/onnxruntime-web/' },
    },
    { name: 'no-test-code-in-src', severity: 'error', from: { path: '^src/', pathNot: '\\.test\\.ts$' }, to: { path: '^(test|e2e)/|\\.test\\.ts$' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.css$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};

import { useCases } from '../../state/cases';
import { useModel } from '../../state/model';
import { CaseTabs } from './CaseTabs';
import { DiagnoseView } from './DiagnoseView';
import { IntakeProgress } from './IntakeProgress';
import { PhotoIntake } from './PhotoIntake';

/** The diagnose screen: photos in, one tab per case, the active case's differential. */
export function DiagnoseScreen() {
  const model = useModel();
  const cases = useCases((s) => s.cases);
  const activeId = useCases((s) => s.activeId);
  const addFiles = useCases((s) => s.addFiles);
  const active = cases.find((c) => c.id === activeId) ?? null;
  return (
    <>
      <h2 className="sr-only">Diagnose</h2>
      <PhotoIntake onFiles={(f) => void addFiles(f)} />
      <IntakeProgress />
      <CaseTabs />
      {active && model.data && <DiagnoseView model={model.data} c={active} />}
      {active && model.isError && <p className="muted">The photo is saved; it will be analysed once a model loads.</p>}
      {active && !model.data && !model.isError && (
        <p className="muted" data-testid="waiting-for-model">
          The photo is open; it will be analysed as soon as the model is ready.
        </p>
      )}
    </>
  );
}

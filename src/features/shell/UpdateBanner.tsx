import { usePwa } from '../../state/pwa';

/** "Update available": the new version is used only when the user says so. */
export function UpdateBanner() {
  const { needRefresh, offlineReady, update } = usePwa();
  if (needRefresh) {
    return (
      <div className="banner info" role="status" data-testid="update-banner">
        A new version of DermLIP Explorer is available. <button type="button" onClick={() => void update()}>Update now</button>{' '}
        <button type="button" onClick={() => usePwa.setState({ needRefresh: false })}>Later</button>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <p className="muted" role="status" data-testid="offline-ready">
        The app is ready to work offline.
      </p>
    );
  }
  return null;
}

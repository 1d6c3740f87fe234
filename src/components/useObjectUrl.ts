import { useEffect, useMemo } from 'react';

/** An object URL for a Blob, revoked when the blob changes or the component goes. */
export function useObjectUrl(blob: Blob): string {
  const url = useMemo(() => URL.createObjectURL(blob), [blob]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return url;
}

/** The page's link settings (?backend=&variant=&threads=&bundle=): applied for this page load only. */
import { parseUrlOverrides } from '../core/url-overrides';
import { notify } from './notices';
import { overrideForThisPage } from './settings';

export function applyUrlOverrides(search: string): void {
  const { values, ignored } = parseUrlOverrides(new URLSearchParams(search));
  for (const i of ignored) {
    notify({ level: 'warning', message: `Ignored the link's setting ${i.param}="${i.value}": ${i.reason}.`, hint: 'This page uses your own setting instead (Settings).' });
  }
  if (Object.keys(values).length) overrideForThisPage(values);
}

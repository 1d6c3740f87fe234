/** Keyboard-only driving: focus an element the way Tab would reach it, then press keys; and the accessibility check. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** Focus `target` and press `key` on it (no mouse). */
export async function press(target: Locator, key = 'Enter') {
  await target.focus();
  await target.page().keyboard.press(key);
}

/** Focus a text field and type into it, replacing what it held. */
export async function typeInto(target: Locator, text: string) {
  await target.focus();
  await target.page().keyboard.press('ControlOrMeta+A');
  await target.page().keyboard.press('Delete');
  if (text) await target.page().keyboard.type(text);
}

/** Move to a screen by its link in the header, with the keyboard. */
export async function keyTo(page: Page, screen: string) {
  const link = page.getByTestId('screens-nav').getByRole('link', { name: screen, exact: true });
  await press(link);
  await expect(link).toHaveAttribute('aria-current', 'page');
}

/** A file chooser opened from the keyboard (Enter on `button`), given `files`. */
export async function chooseFile(button: Locator, files: string | string[]) {
  const chooser = button.page().waitForEvent('filechooser');
  await press(button);
  await (await chooser).setFiles(files);
}

/** axe-core finds no accessibility violation on the page as it is now. */
export async function expectAxeClean(page: Page, what: string) {
  const r = await new AxeBuilder({ page }).analyze();
  const found = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} -- ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(found, `accessibility violations on ${what}`).toEqual([]);
}

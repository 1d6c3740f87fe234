import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { promptsJsonText, shippedPrompts } from './shipped-prompts';

it('builds prompts.json byte for byte as the toolchain does (the committed bundles\' file)', () => {
  const text = promptsJsonText(shippedPrompts());
  for (const b of ['demo-tiny', 'demo-tiny-gelu']) expect(text === readFileSync(`public/models/${b}/prompts.json`, 'utf8'), b).toBe(true);
  expect(shippedPrompts().length).toBe(6290);
});

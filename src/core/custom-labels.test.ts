import { describe, expect, it } from 'vitest';
import { cleanLabelName, CUSTOM_LABEL_LIMITS as L, MAX_CUSTOM_PROMPTS, parseCustomLabelList } from './custom-labels';

const names = (text: string) => parseCustomLabelList(text).labels.map((l) => l.name);

describe('custom label lists', () => {
  it('splits on lines, commas and semicolons; | gives aliases; empties skipped; duplicates dropped and counted', () => {
    const r = parseCustomLabelList('melanoma | Malignant melanoma | MELANOMA\n\n nevus ; wart,\n\nMelanoma\n  \n');
    expect(r.labels.map((l) => l.aliases)).toEqual([['melanoma', 'Malignant melanoma'], ['nevus'], ['wart']]);
    expect(r.names).toBe(4);
    expect(r.duplicates).toBe(1);
  });

  it('keeps markup, right-to-left text and emoji as plain text; removes invisible and control characters', () => {
    expect(names('<img src=x onerror=alert(1)>\n<b>nevus</b>')).toEqual(['<img src=x onerror=alert(1)>', '<b>nevus</b>']);
    expect(names('מלנומה\nشامة\n🙂 rash 🔥')).toEqual(['מלנומה', 'شامة', '🙂 rash 🔥']);
    // Zero-width space, BOM, a right-to-left override and a tab: gone; the two spellings are one label.
    expect(names('mela\u200bnoma\n\ufeffmelanoma\n\u202eevil\u202c\nwart\tcommon')).toEqual(['melanoma', 'evil', 'wart common']);
    // Names made only of invisible characters are empty.
    expect(cleanLabelName('\u200b\u200d\u200c \u2060')).toBe('');
    expect(names('\u200b\nnevus\n\u200d\nwart')).toEqual(['nevus', 'wart']);
    // An emoji joined by ZWJ stays whole.
    expect(names('👩‍⚕️ visit\nnevus')[0]).toBe('👩‍⚕️ visit');
    // Composed and decomposed forms are one label (NFC).
    expect(names('cafe\u0301 au lait\ncafé au lait\nnevus')).toEqual(['café au lait', 'nevus']);
  });

  it('refuses a name over the length limit, naming the label', () => {
    expect(() => parseCustomLabelList(`a\n${'x'.repeat(L.nameLength + 1)}`)).toThrow(/Label 2 \("x{40}…"\).* is 201 characters long; the limit is 200 per name/);
    // Counted in characters, not UTF-16 units: 200 emoji pass.
    expect(parseCustomLabelList(`a\n${'🙂'.repeat(200)}`).labels).toHaveLength(2);
  });

  it('refuses too many aliases on one label, too many names in all, too many labels, too long a text', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `alias ${i}`).join('|');
    expect(() => parseCustomLabelList(`first\n${fifty}`)).toThrow(/Label 2 \("alias 0"\) has 50 names \(separated by \|\); the limit is 20 per label/);
    // The case: 2,000 labels x 50 aliases is refused at once.
    const huge = Array.from({ length: 2000 }, (_, k) => Array.from({ length: 50 }, (_, i) => `l${k} a${i}`).join('|')).join('\n');
    const t0 = performance.now();
    expect(() => parseCustomLabelList(huge)).toThrow(/The label list is 924,499 characters long; the limit is 500,000/);
    // The same shape in fewer characters: refused at its first label.
    const compact = Array.from({ length: 2000 }, () => Array.from({ length: 50 }, (_, i) => `${i}`).join('|')).join('\n');
    expect(() => parseCustomLabelList(compact)).toThrow(/Label 1 \("0"\) has 50 names/);
    expect(performance.now() - t0).toBeLessThan(500);
    // 10 aliases x 201 labels = 2,010 names: over the names limit (aliases count).
    const many = Array.from({ length: 201 }, (_, k) => Array.from({ length: 10 }, (_, i) => `l${k} a${i}`).join('|')).join('\n');
    expect(() => parseCustomLabelList(many)).toThrow(/more than 2,000 names \(labels and their \| aliases together, reached at Label 201 \("l200 a0"\)\); the limit is 2,000, at most 18,000 prompts/);
    const labels = Array.from({ length: L.labels + 1 }, (_, k) => `label ${k}`).join('\n');
    expect(() => parseCustomLabelList(labels)).toThrow(/more than 1,000 labels/);
    expect(parseCustomLabelList(labels.split('\n').slice(0, L.labels).join('\n')).labels).toHaveLength(L.labels);
    expect(() => parseCustomLabelList('a\n'.repeat(L.textLength))).toThrow(/1,000,000 characters long; the limit is 500,000/);
    expect(MAX_CUSTOM_PROMPTS).toBe(18000);
  });

  it('needs two labels', () => {
    expect(() => parseCustomLabelList(' \n ,; ')).toThrow(/empty/);
    expect(() => parseCustomLabelList('melanoma\nMELANOMA')).toThrow(/only one label/);
  });
});

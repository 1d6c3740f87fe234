import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { detectSeparator, parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads HAM10000 metadata', () => {
    const t = parseCsv('lesion_id,image_id,dx,dx_type,age,sex,localization\nHAM_0000118,ISIC_0027419,bkl,histo,80.0,male,scalp\r\nHAM_0000118,ISIC_0025030,bkl,histo,80.0,male,scalp\n');
    expect(t.columns).toEqual(['lesion_id', 'image_id', 'dx', 'dx_type', 'age', 'sex', 'localization']);
    expect(t.rows).toHaveLength(2);
    expect(t.rows[1][1]).toBe('ISIC_0025030');
    expect(t.separator).toBe(',');
  });
  it('handles quotes, escaped quotes, separators and line breaks inside quotes, BOM, blank lines', () => {
    const t = parseCsv('\ufeffid,note\n"a.jpg","x, ""y""\nz"\n\nb.jpg, plain \n');
    expect(t.rows).toEqual([
      ['a.jpg', 'x, "y"\nz'],
      ['b.jpg', 'plain'],
    ]);
  });
  it('detects semicolons and tabs', () => {
    expect(detectSeparator('a;b;c\n1,5;2;3')).toBe(';');
    expect(detectSeparator('a\tb\n')).toBe('\t');
    expect(detectSeparator('"a;b",c\n')).toBe(',');
    expect(parseCsv('image;label\nx;mel').rows).toEqual([['x', 'mel']]);
    expect(parseCsv('image\tlabel\nx\tmel\n').rows).toEqual([['x', 'mel']]);
  });
  it('keeps a last line without a newline, and an empty last field', () => {
    expect(parseCsv('a,b\n1,').rows).toEqual([['1', '']]);
    expect(parseCsv('a,b\n1,""').rows).toEqual([['1', '']]);
  });
  it('names the malformed line', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow('line 3: 1 fields, but the header has 2 columns');
    expect(() => parseCsv('a,b\n1,"2\n')).toThrow('opened on line 2 is never closed');
    expect(() => parseCsv('a,b\n1,x"y"\n')).toThrow('line 2: a quote (") in the middle of a field');
    expect(() => parseCsv('a,b\n"1"x,2\n')).toThrow('line 2: text after a closing quote');
    expect(() => parseCsv('a,a\n1,2')).toThrow('the column "a" twice');
    expect(() => parseCsv('a,,b\n1,2,3')).toThrow('column 2 of the header line has no name');
    expect(() => parseCsv('')).toThrow(AppError);
    expect(() => parseCsv('\n\n', 'labels.csv')).toThrow('labels.csv is empty');
  });
  it('counts lines inside quoted fields', () => {
    expect(() => parseCsv('a,b\n"x\ny",1\n2\n')).toThrow('line 4');
  });
});

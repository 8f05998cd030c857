import { describe, expect, it } from 'vitest';
import { emailHtml, fill, missingPersonalisation, placeholders, smsFragments } from './render.js';

describe('Notify template language', () => {
  it('fills placeholders whatever the case, spaces, hyphens or underscores of the key', () => {
    expect(fill('Hello ((First Name)), ref ((ref-no))', { first_name: 'Sam', REF_NO: 42 })).toBe(
      'Hello Sam, ref 42',
    );
  });

  it('shows conditional text only for yes-like values', () => {
    const template = 'Bin day((late?? – it is late this week)).';
    expect(fill(template, { late: 'yes' })).toBe('Bin day – it is late this week.');
    expect(fill(template, { late: 'TRUE' })).toBe('Bin day – it is late this week.');
    expect(fill(template, { late: 'no' })).toBe('Bin day.');
    expect(fill(template, { late: '' })).toBe('Bin day.');
  });

  it('names each missing placeholder once, in order, including conditionals and null values', () => {
    expect(missingPersonalisation({ b: null }, '((a)) ((b??x))', '((A)) ((c))')).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(placeholders('((one)) ((two??t)) ((One))')).toEqual(['one', 'two']);
  });

  it('turns a list value into bullets', () => {
    expect(fill('((items))', { items: ['sofa', 'fridge'] })).toBe('* sofa\n* fridge');
  });

  it('renders the Markdown subset to HTML with the values escaped', () => {
    const html = emailHtml(
      '# Title\n\nHi ((name)),\nsee https://example.gov.uk\n\n* one\n* two\n\n^ Note',
      {
        name: '<script>',
      },
    );
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain(
      '<p>Hi &lt;script&gt;,<br>see <a href="https://example.gov.uk">https://example.gov.uk</a></p>',
    );
    expect(html).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(html).toContain('<blockquote>Note</blockquote>');
  });

  it('counts text-message fragments as GSM or Unicode', () => {
    expect(smsFragments('a'.repeat(160))).toEqual({
      characters: 160,
      fragments: 1,
      unicode: false,
    });
    expect(smsFragments('a'.repeat(161))).toEqual({
      characters: 161,
      fragments: 2,
      unicode: false,
    });
    expect(smsFragments('€'.repeat(80)).characters).toBe(160);
    expect(smsFragments('ŵ'.repeat(70))).toEqual({ characters: 70, fragments: 1, unicode: true });
    expect(smsFragments('ŵ'.repeat(71)).fragments).toBe(2);
  });
});

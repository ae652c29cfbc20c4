import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from '../../src/dashboard/text.js';

const HOSTILE = ['<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', "' onmouseover='alert(1)", '&lt;'];

describe('escapeHtml', () => {
  it('escapes the five characters that end text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('leaves other text as it is, including non-ASCII', () => {
    expect(escapeHtml('gpt-4o · modèle 模型 🚀')).toBe('gpt-4o · modèle 模型 🚀');
  });

  it('leaves nothing that could open a tag, an entity or end an attribute', () => {
    for (const text of HOSTILE) {
      expect(escapeHtml(text)).not.toMatch(/[<>"']|&(?!amp;|lt;|gt;|quot;|#39;)/);
    }
  });
});

describe('html', () => {
  it('escapes interpolated strings in text and attribute positions', () => {
    const name = HOSTILE[1] ?? '';
    expect(html`<p title="${name}">${name}</p>`.toString()).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it('keeps markup made by html as is, so nested templates are escaped exactly once', () => {
    const inner = html`<b>${'a&b'}</b>`;
    expect(html`<p>${inner}</p>`.toString()).toBe('<p><b>a&amp;b</b></p>');
  });

  it('joins arrays, escaping each string in them', () => {
    expect(html`<ul>${['<x>', html`<li>${'&'}</li>`, ['y"']]}</ul>`.toString()).toBe(
      '<ul>&lt;x&gt;<li>&amp;</li>y&quot;</ul>',
    );
  });

  it('writes numbers as they are', () => {
    expect(html`<rect x="${12.5}" width="${0}"/>`.toString()).toBe('<rect x="12.5" width="0"/>');
  });

  it('makes a SafeHtml, the only kind of value that passes into markup unescaped', () => {
    expect(html`x`).toBeInstanceOf(SafeHtml);
    expect(SafeHtml.fromTrustedSource('<style>a > b {}</style>').toString()).toBe('<style>a > b {}</style>');
  });
});

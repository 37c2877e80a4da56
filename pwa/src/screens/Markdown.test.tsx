import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';

describe('article Markdown', () => {
  it('formats headings, emphasis, lists and links', () => {
    const html = renderToStaticMarkup(
      <Markdown
        text={'## Steps\n\n1. Open **Billing**\n2. Choose [History](https://help.test/h)'}
      />,
    );
    expect(html).toContain('<h2>Steps</h2>');
    expect(html).toContain('<strong>Billing</strong>');
    expect(html).toContain('<ol>');
    expect(html).toContain(
      '<a href="https://help.test/h" target="_blank" rel="noreferrer noopener">History</a>',
    );
  });

  it('never lets the article bring HTML or script addresses in', () => {
    const html = renderToStaticMarkup(
      <Markdown
        text={
          'Hi <script>alert(1)</script><img src=x onerror="alert(2)">\n\n[click](javascript:alert(3)) ![p](data:text/html,x)'
        }
      />,
    );
    expect(html).not.toMatch(/<script|onerror|<img src="x"|javascript:|data:text/);
    expect(html).toContain('click');
  });

  it('formats GFM tables as tables, their cells still text', () => {
    const html = renderToStaticMarkup(
      <Markdown
        text={'| Step | Light |\n| --- | --- |\n| Reset | <b>Blinks</b> \\<script> amber |'}
      />,
    );
    expect(html).toContain('<th>Step</th>');
    expect(html).toContain('<td>Reset</td>');
    expect(html).toContain('&lt;script&gt; amber</td>');
    expect(html).not.toMatch(/<b>|<script/);
  });
});

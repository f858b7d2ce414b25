import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders Markdown', () => {
    const html = renderMarkdown('# Steps\n\n1. start a **VM**\n2. run `xe vm-migrate`\n\n[docs](https://xenserver.org/docs)');
    expect(html).toContain('<h3>Steps</h3>');
    expect(html).toContain('<strong>VM</strong>');
    expect(html).toContain('<code>xe vm-migrate</code>');
    expect(html).toContain('<a href="https://xenserver.org/docs" rel="nofollow noopener noreferrer ugc">docs</a>');
  });

  it.each([
    ['a script tag', '<script>alert(1)</script>'],
    ['an event handler', '<img src=x onerror=alert(1)>'],
    ['an SVG payload', '<svg onload=alert(1)><script>alert(2)</script></svg>'],
    ['an iframe', '<iframe src="javascript:alert(1)"></iframe>'],
  ])('shows %s as text', (_name, payload) => {
    const html = renderMarkdown(`before ${payload} after`);
    expect(html).not.toMatch(/<(script|img|svg|iframe)/i);
    expect(html).toContain('&lt;');
  });

  it.each(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'vbscript:msgbox(1)'])('drops the link to %s', (href) => {
    const html = renderMarkdown(`[click](${href}) and <${href}>`);
    expect(html).not.toMatch(/href="(javascript|data|vbscript)/i);
  });

  it('keeps no image, so nothing loads from another host', () => {
    expect(renderMarkdown('![logo](https://example.org/x.png)')).not.toContain('<img');
  });
});

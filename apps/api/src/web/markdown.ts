import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// markdown-it with raw HTML off escapes every tag people write and refuses javascript:/data:
// links; sanitize-html then keeps only an allowlist of what Markdown itself produces, so even a
// parser bug cannot let a script, an event handler or an SVG through. Images are not kept: a
// page never loads anything from another host.
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // A description's headings sit under the page's own: they start at level 3.
    h1: 'h3',
    h2: 'h4',
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer ugc' }),
  },
};
SANITIZE.allowedAttributes = { ...(SANITIZE.allowedAttributes as Record<string, string[]>), a: ['href', 'title', 'rel'] };

/** Markdown as safe HTML: no scripts, no event handlers, no javascript: links, no images. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), SANITIZE);
}

import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

const components: Components = {
  // Article links leave the app in a new tab; the article's own page stays open.
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
};

/**
 * An article's Markdown, formatted as React elements, never as HTML from the article: raw HTML
 * inside it is dropped, and links or images with a scheme other than http(s), mailto or tel
 * (`javascript:`, `data:`) lose their address (react-markdown's default URL filter). GitHub's
 * extensions (tables, strikethrough, task lists) are formatted, since imported HTML tables
 * arrive as GFM tables.
 */
export function Markdown({ text }: { text: string }) {
  return (
    <ReactMarkdown skipHtml remarkPlugins={[remarkGfm]} components={components}>
      {text}
    </ReactMarkdown>
  );
}

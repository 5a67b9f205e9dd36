import type { Plugin } from 'vite';

// Lit's `css` templates reach the bundle as written: indentation, line breaks and comments. The
// widget must stay within 80 KB gzipped, so its build squeezes them (the map page's build, with
// no such budget, keeps them readable).
const CSS_TEMPLATE = /\bcss`([^`]*)`/g;

/**
 * The CSS of every `css\`…\`` template with comments dropped and runs of white space made one
 * space (none next to `{`, `}`, `;`, `,` or `:` at a line's end). Interpolations (`${…}`) are
 * left as they are.
 */
export function squeezeLitCss(source: string): string {
  return source.replace(CSS_TEMPLATE, (_, body: string) => {
    const squeezed = body
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,])\s*/g, '$1')
      .trim();
    return `css\`${squeezed}\``;
  });
}

/** The Vite plugin: squeezes the `css` templates of the project's own client files. */
export function squeezeLitCssPlugin(): Plugin {
  return {
    name: 'fto-squeeze-lit-css',
    transform(code, id) {
      if (id.includes('node_modules') || !/[\\/]client[\\/].*\.ts$/.test(id)) return null;
      if (!code.includes('css`')) return null;
      return { code: squeezeLitCss(code), map: null };
    },
  };
}

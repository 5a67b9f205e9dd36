import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The moderation page: `vite build --config vite.admin.config.ts` → dist/admin/admin.html and
// dist/admin/assets/, served at /admin (server/api/admin-page.ts). A build of its own, so the
// map's bundle shares no chunk with it and stays exactly what it was.

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('client'),
  base: '/admin/',
  publicDir: false,
  define: { __FTO_WIDGET__: 'false' },
  build: {
    outDir: here('dist/admin'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    rolldownOptions: { input: here('client/admin.html') },
  },
});

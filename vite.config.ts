import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { modelsPlugin } from './src/app/build/modelsPlugin.ts';
import { cspPlugin } from './src/app/build/cspPlugin.ts';
import { longUrlPlugin } from './src/app/build/longUrlPlugin.ts';
import { versionsPlugin } from './src/app/build/versionsPlugin.ts';
import { BROWSER_AVATAR_PACKAGES } from './src/app/training/data/avatar-packages.ts';

// Cross-origin isolation lets onnxruntime-web use wasm threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// QAC_MODELS_DIR switches the models folder (the e2e tests point it at generated fixtures).
export default defineConfig({
  base: './',
  plugins: [
    react(),
    modelsPlugin(process.env.QAC_MODELS_DIR ?? 'models'),
    cspPlugin(),
    longUrlPlugin(),
  ],
  server: { headers: isolation },
  preview: { headers: isolation },
  // Workers are bundled with their own plugins: the train worker's avatars read the versions.
  worker: { format: 'es', plugins: () => [versionsPlugin(BROWSER_AVATAR_PACKAGES)] },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});

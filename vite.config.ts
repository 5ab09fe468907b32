import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { modelsPlugin } from './src/app/build/modelsPlugin';
import { cspPlugin } from './src/app/build/cspPlugin';
import { longUrlPlugin } from './src/app/build/longUrlPlugin';

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
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});

import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    // The Hono server in server/ mounts the built handler; the app itself lives in web/.
    adapter: adapter({ out: 'build' }),
    files: { src: 'web/src', assets: 'web/static' },
    alias: { $contract: 'server/contract' },
  },
};

export default config;

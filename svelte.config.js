import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** sha256 of the announcer's `style` attribute in @sveltejs/kit/src/core/sync/write_root.js. */
const ANNOUNCER_STYLE_HASH = 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo=';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    // The Hono server in server/ mounts the built handler; the app itself lives in web/.
    adapter: adapter({ out: 'build' }),
    files: { src: 'web/src', assets: 'web/static' },
    // $qa: the pure QA maths the server stores with, so forms preview exactly what will be stored.
    alias: { $contract: 'server/contract', $qa: 'server/qa' },
    // Pages may load only this origin's own code, styles and sockets. SvelteKit adds a nonce for its
    // inline bootstrap script; nothing else inline is allowed (the app sets styles through CSSOM), except
    // the one style attribute of SvelteKit's route announcer, allowed by its hash (sveltejs/kit#11993).
    // A SvelteKit upgrade that changes that attribute fails tests/e2e/csp.spec.ts: update the hash then.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self'],
        'style-src-attr': ['unsafe-hashes', ANNOUNCER_STYLE_HASH],
        'img-src': ['self', 'data:'],
        'connect-src': ['self'],
        'font-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;

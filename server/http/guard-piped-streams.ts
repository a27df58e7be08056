/**
 * SvelteKit's adapter-node serves the built files with sirv, which pipes `fs.createReadStream(file)`
 * into the response without an 'error' listener. sirv lists the files once at start-up, so a file
 * removed since (a rebuild under a running server deletes the old hashed and precompressed assets)
 * makes that stream emit ENOENT with nobody listening: an uncaught exception that killed the process.
 * Every stream piped into a response we hand to the web app gets a listener here, and its error ends
 * that one response.
 */
import type { Readable } from 'node:stream';
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export function guardPipedStreams(res: ServerResponse, log: Pick<Logger, 'warn'>, path: string): void {
  res.on('pipe', (source: Readable) => {
    source.once('error', (err: NodeJS.ErrnoException) => {
      source.unpipe(res);
      log.warn({ err: { code: err.code, message: err.message }, path }, 'static file could not be read');
      if (!res.headersSent) {
        res.statusCode = err.code === 'ENOENT' ? 404 : 500;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end(err.code === 'ENOENT' ? 'not found' : 'internal error');
      } else {
        // sirv has already sent 200 with the file's length: no honest status can follow, so the
        // response is cut off and the client sees a failed request, which a browser reload retries.
        res.destroy();
      }
    });
  });
}

import fastifyCompress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Compresses every answer bigger than `minBytes` (a page of items, the introspection, GraphiQL)
 * with br or gzip, whichever the client's Accept-Encoding prefers (br on a tie). Must be
 * registered before the routes: the plugin attaches itself to each route as it is added.
 *
 * Request bodies are not decompressed: no GraphQL client compresses what it sends (an operation
 * is a few hundred bytes), and the plugin's decompression hook, run for every request whatever it
 * carries, cost about 4% of an item read's CPU. A GraphQL request with a Content-Encoding is
 * refused with 415 (see http-compliance).
 */
export async function registerCompression(app: NestFastifyApplication, minBytes: number): Promise<void> {
  await app.register(fastifyCompress, { global: true, globalDecompression: false, threshold: minBytes, encodings: ['br', 'gzip'] });
}

import fastifyCompress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Compresses every answer bigger than `minBytes` (a page of items, the introspection, GraphiQL)
 * with br or gzip, whichever the client's Accept-Encoding prefers (br on a tie). Must be
 * registered before the routes: the plugin attaches itself to each route as it is added.
 */
export async function registerCompression(app: NestFastifyApplication, minBytes: number): Promise<void> {
  await app.register(fastifyCompress, { global: true, threshold: minBytes, encodings: ['br', 'gzip'] });
}

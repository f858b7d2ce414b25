import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Busboy, type BusboyInstance, type BusboyFileStream } from '@fastify/busboy';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { CatalogueReader } from '@headwaters/catalogue';
import { AppConfig } from '@headwaters/config';
import { DomainError } from '@headwaters/core';
import { ERROR_CODES, toGlobalId } from '@headwaters/graphql-kit';
import { ATTACHMENT_TOO_LARGE, AttachmentService, ItemVisibility, type Upload } from '@headwaters/items';
import { AuthenticatorHolder } from '../graphql/authenticator-holder';
import { RequestContext } from '../graphql/request-context';
import { attachmentUrl } from './attachment.type';

/** What a multipart body may carry besides the file itself (boundaries, part headers). */
const MULTIPART_OVERHEAD = 64 * 1024;

const STATUS: Record<DomainError['kind'], number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429 };

/** Errors as GraphQL answers them, so clients read one shape: `{ errors: [{ message, extensions: { code } }] }`. */
function sendError(reply: FastifyReply, status: number, code: string, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ errors: [{ message, extensions: { code, ...extra } }] });
}

function sendDomainError(reply: FastifyReply, error: DomainError): FastifyReply {
  if (error.code === ATTACHMENT_TOO_LARGE) return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', error.message, { field: 'file' });
  return sendError(reply, STATUS[error.kind], ERROR_CODES[error.kind], error.message, { reason: error.code, ...(error.field ? { field: error.field } : {}) });
}

/** `Content-Disposition: attachment` with an ASCII fallback name and the exact one (RFC 6266, RFC 8187). */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|[\\"%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/**
 * The attachment routes, beside GraphQL: `POST /items/:number/attachments` (multipart, one
 * `file` field, streamed into the database) and `GET /attachments/:id` (streamed out, served
 * as a download that browsers never render: sniffed type, nosniff, a sandboxing CSP).
 */
@Injectable()
export class AttachmentRoutes implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly attachments: AttachmentService,
    private readonly authenticator: AuthenticatorHolder,
    private readonly reader: CatalogueReader,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(async (scope) => {
      // The body is read by busboy as it arrives, not by Fastify (and not under BODY_LIMIT_BYTES).
      scope.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null, undefined));
      scope.post<{ Params: { number: string } }>('/items/:number/attachments', (request, reply) => this.upload(request, reply));
      // Files go out as stored, with their length: no compression (most are compressed already).
      scope.get<{ Params: { id: string } }>('/attachments/:id', { compress: false }, (request, reply) => this.download(request, reply));
      scope.get<{ Params: { id: string; name: string } }>('/attachments/:id/:name', { compress: false }, (request, reply) => this.download(request, reply));
    });
  }

  private async upload(request: FastifyRequest<{ Params: { number: string } }>, reply: FastifyReply): Promise<FastifyReply> {
    try {
      const actor = await new RequestContext(request, reply, this.authenticator).requireActor();
      const number = /^\d{1,9}$/.test(request.params.number) ? Number(request.params.number) : 0;
      if (number < 1) return sendError(reply, 404, 'NOT_FOUND', `No item #${request.params.number}`);
      const type = request.headers['content-type'] ?? '';
      if (!/^multipart\/form-data\s*;/i.test(type)) return sendError(reply, 415, 'BAD_USER_INPUT', 'Send multipart/form-data with one file field named "file"', { field: 'file' });
      const max = this.config.ATTACHMENT_MAX_BYTES;
      const length = Number(request.headers['content-length'] ?? NaN);
      if (length > max + MULTIPART_OVERHEAD) {
        reply.header('connection', 'close');
        return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', `file: attachments are at most ${max} bytes`, { field: 'file' });
      }
      const record = await this.withUpload(request, max, (upload) => this.attachments.attach(actor, number, upload, max));
      return reply.code(201).send({ id: toGlobalId('Attachment', record.id), url: attachmentUrl(record) });
    } catch (error) {
      if (error instanceof DomainError) return sendDomainError(reply, error);
      request.log.error({ err: error }, 'attachment upload failed');
      return sendError(reply, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error');
    }
  }

  /**
   * Parses the multipart body and hands its one `file` part to `store` as a stream. Whatever
   * `store` does not read (a file refused part way) is drained, up to a bound, so the client
   * gets the answer rather than a reset connection.
   */
  private withUpload<T>(request: FastifyRequest, max: number, store: (upload: Upload) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let busboy: BusboyInstance;
      try {
        busboy = new Busboy({ headers: request.headers as never, limits: { files: 1, fields: 10, fileSize: max + 1, parts: 12 } });
      } catch {
        reject(DomainError.invalid('INVALID_MULTIPART', 'file: the multipart body has no boundary', 'file'));
        return;
      }
      let started = false;
      let drained = 0;
      const drain = () => {
        request.raw.unpipe(busboy);
        request.raw.on('data', (piece: Buffer) => {
          drained += piece.length;
          if (drained > max + MULTIPART_OVERHEAD) request.raw.destroy();
        });
        request.raw.resume();
      };
      busboy.on('file', (field: string, stream: BusboyFileStream, filename: string | undefined) => {
        if (field !== 'file' || started) {
          stream.resume();
          return;
        }
        started = true;
        store({ filename: filename ?? '', content: stream }).then(resolve, (error: unknown) => {
          stream.resume();
          drain();
          reject(error);
        });
      });
      busboy.on('error', () => reject(DomainError.invalid('INVALID_MULTIPART', 'file: the multipart body is malformed', 'file')));
      busboy.on('finish', () => {
        if (!started) reject(DomainError.invalid('FILE_MISSING', 'file: send the file in a multipart field named "file"', 'file'));
      });
      request.raw.pipe(busboy);
    });
  }

  private async download(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply): Promise<FastifyReply> {
    try {
      const actor = await new RequestContext(request, reply, this.authenticator).actor();
      const id = /^\d{1,9}$/.test(request.params.id) ? Number(request.params.id) : 0;
      const opened = id > 0 ? await this.attachments.open(id, ItemVisibility.of(actor, await this.reader.snapshot())) : null;
      if (!opened) return sendError(reply, 404, 'NOT_FOUND', 'No such attachment');
      const { record, content } = opened;
      return reply
        .code(200)
        .header('content-type', record.contentType)
        .header('content-length', String(record.size))
        .header('content-disposition', contentDisposition(record.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', 'sandbox')
        .header('cache-control', 'private, no-cache')
        .send(Readable.from(content));
    } catch (error) {
      if (error instanceof DomainError) return sendDomainError(reply, error);
      request.log.error({ err: error }, 'attachment download failed');
      return sendError(reply, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error');
    }
  }
}

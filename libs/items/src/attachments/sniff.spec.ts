import { sniffContentType } from './sniff';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);

describe('sniffContentType', () => {
  it.each([
    ['a PNG screenshot', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13), 'image/png'],
    ['a JPEG photo', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), 'image/jpeg'],
    ['a GIF', text('GIF89a\x01\x00'), 'image/gif'],
    ['a PDF', text('%PDF-1.7\n%'), 'application/pdf'],
    ['a status report (tar.gz)', bytes(0x1f, 0x8b, 0x08, 0, 0, 0), 'application/gzip'],
    ['a bugtool zip', bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0), 'application/zip'],
    ['an xz archive', bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00), 'application/x-xz'],
    ['a log', text('Dec  1 08:00:01 xenserver xapi: [error|host|12] VDI_IO_ERROR\n'), 'text/plain; charset=utf-8'],
    ['UTF-8 text', text('Größe: 12 Mo — échec\n'), 'text/plain; charset=utf-8'],
    ['HTML, which is never rendered', text('<!doctype html><script>alert(1)</script>'), 'text/plain; charset=utf-8'],
    ['an SVG', text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'text/plain; charset=utf-8'],
    ['an empty file', bytes(), 'text/plain; charset=utf-8'],
    ['binary junk', bytes(0x00, 0x01, 0x02, 0xff, 0xfe), 'application/octet-stream'],
    ['invalid UTF-8', bytes(0x41, 0xc3, 0x28, 0x41), 'application/octet-stream'],
  ])('%s', (_, head, type) => {
    expect(sniffContentType(head)).toBe(type);
  });

  it('tells a tar archive by its ustar magic', () => {
    const head = new Uint8Array(512);
    head.set(text('etc/xensource-inventory'), 0);
    head.set(text('ustar'), 257);
    expect(sniffContentType(head)).toBe('application/x-tar');
  });
});

import type { ServerResponse } from 'node:http';
import { FakeHttpServer, type SeenRequest } from './fake-http-server';

export interface FakeDebianBug {
  package?: string;
  subject?: string;
  /** Who closed it; empty while open. */
  done?: string;
  pending?: 'pending' | 'forwarded' | 'pending-fixed' | 'fixed' | 'done';
  tags?: string[];
  fixed_versions?: string[];
  found_versions?: string[];
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const str = (name: string, value: string): string => (value ? `<${name} xsi:type="xsd:string">${xml(value)}</${name}>` : `<${name} xsi:type="xsd:string" />`);
const arr = (name: string, values: string[]): string =>
  values.length === 0
    ? `<${name} soapenc:arrayType="xsd:anyType[0]" xsi:type="soapenc:Array" />`
    : `<${name} soapenc:arrayType="xsd:string[${values.length}]" xsi:type="soapenc:Array">${values.map((v) => `<item xsi:type="xsd:string">${xml(v)}</item>`).join('')}</${name}>`;

const ENVELOPE_START =
  '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:apachens="http://xml.apache.org/xml-soap" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body>';
const ENVELOPE_END = '</soap:Body></soap:Envelope>';

/**
 * Debian's BTS SOAP interface (`POST /cgi-bin/soap.cgi`, namespace Debbugs/SOAP), answering
 * `get_status` exactly as bugs.debian.org's SOAP::Lite does: a map keyed by bug number, an empty
 * map for an unknown bug, a SOAP fault for an unknown method.
 */
export class FakeDebbugs extends FakeHttpServer {
  private readonly bugs = new Map<number, FakeDebianBug>();

  setBug(bug: number, status: FakeDebianBug): void {
    this.bugs.set(bug, status);
  }

  protected keyOf(req: SeenRequest): string | null {
    const m = /<item[^>]*>(\d+)<\/item>/.exec(req.body);
    return m ? m[1] : null;
  }

  protected handle(req: SeenRequest, res: ServerResponse): void {
    const send = (status: number, body: string): void => {
      res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8', SOAPServer: 'SOAP::Lite/Perl/1.27' }).end(body);
    };
    if (req.method !== 'POST' || !req.path.startsWith('/cgi-bin/soap.cgi')) {
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html><body>Not Found</body></html>');
      return;
    }
    if (!/<get_status[\s>]/.test(req.body)) {
      send(500, `${ENVELOPE_START}<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Failed to locate method in class Debbugs::SOAP</faultstring></soap:Fault>${ENVELOPE_END}`);
      return;
    }
    const numbers = [...req.body.matchAll(/<item[^>]*>(\d+)<\/item>/g)].map((m) => Number(m[1]));
    const items = numbers
      .filter((n) => this.bugs.has(n))
      .map((n) => {
        const b = this.bugs.get(n)!;
        const pkg = b.package ?? 'xcp-xapi';
        return (
          `<item><key xsi:type="xsd:int">${n}</key><value>` +
          str('blockedby', '') + `<bug_num xsi:type="xsd:int">${n}</bug_num>` + arr('found_versions', b.found_versions ?? []) +
          str('keywords', (b.tags ?? []).join(' ')) + str('forwarded', '') + str('tags', (b.tags ?? []).join(' ')) +
          arr('fixed_versions', b.fixed_versions ?? []) + str('subject', b.subject ?? `${pkg}: a bug`) +
          `<archived xsi:type="xsd:int">0</archived>` + str('originator', 'Headwaters <headwaters@localhost>') + str('package', pkg) +
          str('location', 'db-h') + `<last_modified xsi:type="xsd:int">1764580000</last_modified>` +
          str('pending', b.done ? 'done' : (b.pending ?? 'pending')) + str('source', pkg) + str('severity', 'normal') +
          str('msgid', `<item-1.forward-1@localhost>`) + str('affects', '') + str('owner', '') + `<id xsi:type="xsd:int">${n}</id>` +
          str('done', b.done ?? '') + str('mergedwith', '') + `<date xsi:type="xsd:int">1764500000</date>` +
          `</value></item>`
        );
      });
    const map = items.length === 0 ? '<s-gensym3 />' : `<s-gensym3 xsi:type="apachens:Map">${items.join('')}</s-gensym3>`;
    send(200, `${ENVELOPE_START}<get_statusResponse xmlns="Debbugs/SOAP">${map}</get_statusResponse>${ENVELOPE_END}`);
  }
}

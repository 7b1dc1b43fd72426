import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MyDataRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A local stand-in for AADE's myDATA REST API (the real service cannot be reached from here):
 * it takes `POST /SendInvoices` as myDATA does (user id and subscription key headers, an
 * `InvoicesDoc` XML body) and answers a `ResponseDoc` with a mark and uid per document.
 */
export class MyDataStandIn {
  readonly requests: MyDataRequest[] = [];
  private nextMark = 400_001_000_000_001n;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<MyDataStandIn> {
    let standIn: MyDataStandIn;
    const server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => standIn.answer(request.url ?? '', request.headers, body, response));
    });
    standIn = new MyDataStandIn(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/myDATA`;
  }

  private answer(path: string, headers: IncomingHttpHeaders, body: string, response: import('node:http').ServerResponse): void {
    this.requests.push({ path, headers, body });
    const authorised = headers['aade-user-id'] && headers['ocp-apim-subscription-key'];
    if (path !== '/myDATA/SendInvoices' || !authorised || !body.includes('<InvoicesDoc')) {
      response.writeHead(401, { 'content-type': 'application/xml' }).end('<ResponseDoc><response><statusCode>Unauthorized</statusCode></response></ResponseDoc>');
      return;
    }
    const mark = String(this.nextMark++);
    response
      .writeHead(200, { 'content-type': 'application/xml' })
      .end(`<?xml version="1.0" encoding="utf-8"?><ResponseDoc><response><index>1</index><invoiceUid>UID${mark}</invoiceUid><invoiceMark>${mark}</invoiceMark><statusCode>Success</statusCode></response></ResponseDoc>`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

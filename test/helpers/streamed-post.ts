// A POST whose body is generated as it is written (never held in memory), for tests that send
// bodies of hundreds of MB; and this process's peak memory, to see what the server kept.
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';

export const MB = 1024 * 1024;

export type Answer = { status: number; connection: string | undefined; body: string; ms: number; sentBytes: number };

/**
 * A POST whose body is `length` bytes of `fill`, written as the server takes it (never held in
 * memory). With `length` undefined it goes out chunked, `chunkedBytes` long.
 */
export function streamedPost(origin: string, path: string, headers: Record<string, string>, body: { length?: number; chunkedBytes?: number; head?: Buffer; tail?: Buffer }): Promise<Answer> {
  const head = body.head ?? Buffer.alloc(0);
  const tail = body.tail ?? Buffer.alloc(0);
  const fill = Buffer.alloc(256 * 1024, 'a');
  const total = body.length ?? body.chunkedBytes ?? 0;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = httpRequest(`${origin}${path}`, {
      method: 'POST',
      headers: { ...headers, ...(body.length !== undefined ? { 'content-length': String(body.length) } : {}) },
    });
    let sentBytes = 0;
    let answered = false;
    req.on('response', async (response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      answered = true;
      resolve({ status: response.statusCode!, connection: response.headers.connection, body: Buffer.concat(chunks).toString(), ms: Date.now() - started, sentBytes });
      req.destroy();
    });
    // The server may close the connection while the body is still going out.
    req.on('error', (error) => {
      if (!answered && !(error as NodeJS.ErrnoException).code?.startsWith('EPIPE') && (error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    const bodyLength = total - head.length - tail.length;
    req.write(head);
    let written = 0;
    const pump = () => {
      while (written < bodyLength && !req.destroyed) {
        const n = Math.min(fill.length, bodyLength - written);
        written += n;
        sentBytes = written;
        if (!req.write(n === fill.length ? fill : fill.subarray(0, n))) return req.once('drain', pump);
      }
      if (!req.destroyed) req.end(tail);
    };
    pump();
  });
}

/** This process's peak resident memory since the last reset, in MB (Linux). */
export function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
}
export function resetPeakRss(): void {
  writeFileSync('/proc/self/clear_refs', '5');
}


// Reading an upload's multipart body as it streams (busboy): the one file goes to a handler while
// it arrives, never whole in memory; the small text fields beside it are collected. Anything but
// exactly one file in the field "file" is refused, and the whole body is counted against a cap.
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import type { NextRequest } from 'next/server';
import { AppError } from '@/lib/errors';
import { mediaType } from '@/lib/http/body-limit';

export type FilePart = { fileName: string; mimeType: string; body: Readable };

export type ReceivedUpload<T> = { file: T; fileName: string; fields: Map<string, string[]> };

export type ReceiveOptions<T> = {
  /** The whole body's cap, framing and fields included (413 past it). */
  maxBodyBytes: number;
  /** Takes the file while it streams, e.g. into storage. */
  onFile(part: FilePart): Promise<T>;
  /** Undoes onFile's work when the request fails after it succeeded. */
  discard(file: T): Promise<void>;
};

const onlyOneFile = () => new AppError('bad_request', 'file: send exactly one file in the field "file".');
const notMultipart = () => new AppError('bad_request', 'The body must be multipart/form-data with one file in the field "file".');

/** Room for the few short fields an upload takes (durationSec, a waveform of up to 200 peaks). */
const FIELD_LIMITS = { fields: 8, fieldSize: 1024, fieldNameSize: 100, parts: 16 };

/** Browsers send `"`, CR and LF in a file name as %22, %0D and %0A (HTML's form encoding). */
function fromFormEscapes(name: string): string {
  return name.replace(/%(22|0D|0A)/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Parses the request; resolves once the body has ended and the file was handled. On any failure
 * it stops reading, waits for the file's handler to stop, discards what it stored, and rejects.
 */
export function receiveUpload<T>(req: NextRequest, options: ReceiveOptions<T>): Promise<ReceivedUpload<T>> {
  const contentType = req.headers.get('content-type') ?? '';
  if (mediaType(contentType) !== 'multipart/form-data' || !req.body) return Promise.reject(notMultipart());
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { 'content-type': contentType }, limits: FIELD_LIMITS, defParamCharset: 'utf8' });
  } catch {
    return Promise.reject(notMultipart()); // no boundary
  }

  const source = Readable.fromWeb(req.body as WebReadableStream<Uint8Array>);
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      done(received > options.maxBodyBytes ? new AppError('payload_too_large') : null, chunk);
    },
  });

  return new Promise((resolve, reject) => {
    const fields = new Map<string, string[]>();
    let fileBody: Readable | undefined;
    let fileName = '';
    let handling: Promise<T> | undefined;
    let failed = false;

    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      source.unpipe(counter);
      source.destroy();
      counter.unpipe(parser);
      fileBody?.destroy();
      // Whatever the handler managed to store goes again before the answer.
      const undone = handling?.then(options.discard, () => undefined) ?? Promise.resolve();
      void undone.finally(() => reject(error));
    };

    parser.on('file', (name, body, info) => {
      if (name !== 'file' || fileBody) {
        body.resume();
        return fail(onlyOneFile());
      }
      fileBody = body;
      // Its reader (onFile) has listeners of its own; this one only keeps an error of a stream
      // nobody reads from crashing the process.
      body.on('error', () => undefined);
      fileName = fromFormEscapes(info.filename ?? '');
      handling = options.onFile({ fileName, mimeType: info.mimeType, body });
      handling.catch(fail);
    });
    parser.on('field', (name, value, info) => {
      if (name === 'file') return fail(onlyOneFile());
      if (info.nameTruncated || info.valueTruncated) return fail(new AppError('bad_request', `${name.slice(0, 100)}: the field is too long.`));
      fields.set(name, [...(fields.get(name) ?? []), value]);
    });
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(limit, () => fail(new AppError('bad_request', 'Too many fields: send one file in the field "file" and at most a duration.')));
    }
    parser.on('error', () =>
      fail(new AppError('bad_request', 'The multipart body is malformed (a part header holds a control character, or the framing is broken).')),
    );
    counter.on('error', fail);
    source.on('error', () => fail(new AppError('bad_request', 'The upload was cut off before its end.')));
    parser.on('close', () => {
      if (failed) return;
      if (!handling) return fail(onlyOneFile());
      handling.then((file) => {
        if (!failed) resolve({ file, fileName, fields });
      }, fail);
    });

    source.pipe(counter).pipe(parser);
  });
}

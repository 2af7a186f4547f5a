// A body must be exactly the size declared for it: a short or long stream is an error rather than
// a truncated or padded file in the store.
import { Transform, type Readable } from 'node:stream';

export class LengthMismatchError extends Error {
  constructor(expected: number, actual: string) {
    super(`The body is ${actual} bytes; ${expected} were declared.`);
    this.name = 'LengthMismatchError';
  }
}

export function withExactLength(body: Buffer | Readable, size: number): Buffer | Readable {
  if (Buffer.isBuffer(body)) {
    if (body.length !== size) throw new LengthMismatchError(size, String(body.length));
    return body;
  }
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > size ? new LengthMismatchError(size, `more than ${size}`) : null, chunk);
    },
    flush(done) {
      done(seen === size ? null : new LengthMismatchError(size, String(seen)));
    },
  });
  // An error of the source must reach whoever reads the counter.
  body.once('error', (error) => counter.destroy(error));
  return body.pipe(counter);
}

// A body must be exactly the size declared for it: a short or long stream is an error rather than
// a truncated or padded file in the store.
import { Transform, type Readable } from 'node:stream';

export class LengthMismatchError extends Error {
  constructor(expected: number, actual: string) {
    super(`The body is ${actual} bytes; ${expected} were declared.`);
    this.name = 'LengthMismatchError';
  }
}

/**
 * The body, checked as it flows. The last chunk is held back until the source has ended at the
 * right length, so a store that completes an object on its declared length (S3) never receives
 * all of it from a body that turns out too long or fails.
 */
export function withExactLength(body: Buffer | Readable, size: number): Buffer | Readable {
  if (Buffer.isBuffer(body)) {
    if (body.length !== size) throw new LengthMismatchError(size, String(body.length));
    return body;
  }
  let seen = 0;
  let held: Buffer | undefined;
  const checked = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > size) return done(new LengthMismatchError(size, `more than ${size}`));
      const previous = held;
      held = chunk;
      done(null, previous);
    },
    flush(done) {
      done(seen === size ? null : new LengthMismatchError(size, String(seen)), held);
    },
  });
  // An error of the source must reach whoever reads the checked stream.
  body.once('error', (error) => checked.destroy(error));
  return body.pipe(checked);
}

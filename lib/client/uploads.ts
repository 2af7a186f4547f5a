// Sending a file's bytes from the browser, with progress and cancel (XMLHttpRequest: fetch has no
// upload progress). With S3 the file goes straight to the bucket: presign, PUT, complete; on
// local disk it streams to POST /api/uploads. Which one, and the limits, come from GET
// /api/uploads, asked once per page. Every failure says whether trying again can help.
import type { AttachmentDto, PresignedUploadDto, UploadOptionsDto } from '../protocol';
import { ApiError } from './api';

export type UploadMeta = { durationSec?: number; waveform?: number[] };

export type UploadProgress = { loaded: number; total: number };

export type UploadCall = { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal };

/** A failed upload: `retryable` when the same file may succeed later (network, server busy). */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status = 0,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export class UploadCancelled extends Error {
  constructor() {
    super('The upload was cancelled.');
    this.name = 'UploadCancelled';
  }
}

/** Answers worth trying again: offline, a conflict of timing, too fast, the server's own trouble. */
const retryableStatus = (status: number) => status === 0 || status === 409 || status === 408 || status === 429 || status >= 500;

function errorOf(status: number, body: unknown, fallback: string): UploadError {
  const message = (body as { error?: { message?: string } } | null)?.error?.message;
  if (status === 0) return new UploadError('The connection was lost while uploading. Check your connection and retry.', true);
  return new UploadError(message ?? fallback, retryableStatus(status), status);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** One request with upload progress; resolves with the status and the (JSON) body. */
function send(method: string, url: string, body: XMLHttpRequestBodyInit, headers: Record<string, string>, call: UploadCall, withCredentials: boolean) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    if (call.signal?.aborted) return reject(new UploadCancelled());
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = withCredentials;
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) call.onProgress?.({ loaded: event.loaded, total: event.total });
    };
    const abort = () => xhr.abort();
    call.signal?.addEventListener('abort', abort, { once: true });
    const done = () => call.signal?.removeEventListener('abort', abort);
    xhr.onload = () => {
      done();
      resolve({ status: xhr.status, body: parse(xhr.responseText) });
    };
    xhr.onerror = () => {
      done();
      resolve({ status: 0, body: null });
    };
    xhr.onabort = () => {
      done();
      reject(new UploadCancelled());
    };
    xhr.send(body);
  });
}

async function json<T>(url: string, init: RequestInit, signal?: AbortSignal): Promise<{ status: number; body: T | null }> {
  try {
    const response = await fetch(url, { ...init, signal, credentials: 'same-origin' });
    return { status: response.status, body: (await response.json().catch(() => null)) as T | null };
  } catch (error) {
    if (signal?.aborted) throw new UploadCancelled();
    throw error instanceof ApiError ? error : new UploadError('The connection was lost while uploading. Check your connection and retry.', true);
  }
}

let options: Promise<UploadOptionsDto> | null = null;

/** How this server takes files (asked once; asked again after a failure). */
export function uploadOptions(): Promise<UploadOptionsDto> {
  options ??= fetch('/api/uploads', { credentials: 'same-origin' }).then(async (response) => {
    if (!response.ok) throw new UploadError('Could not reach the server to upload. Retry in a moment.', true, response.status);
    return (await response.json()) as UploadOptionsDto;
  });
  options.catch(() => {
    options = null;
  });
  return options;
}

function formatLimit(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

async function uploadDirect(file: Blob, fileName: string, type: string, meta: UploadMeta, call: UploadCall): Promise<AttachmentDto> {
  const signed = await json<PresignedUploadDto>(
    '/api/uploads/presign',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fileName, mimeType: type, size: file.size, ...meta }) },
    call.signal,
  );
  if (signed.status !== 201 || !signed.body) throw errorOf(signed.status, signed.body, 'The upload could not start.');
  const upload = signed.body;
  const put = await send('PUT', upload.url, file, upload.headers, call, false);
  if (put.status < 200 || put.status >= 300) {
    // The bucket's own refusal (XML, not ours): an expired URL can be asked for again.
    throw new UploadError(put.status === 0 ? 'The connection was lost while uploading. Check your connection and retry.' : 'The storage refused the file.', put.status === 0 || put.status === 403 || put.status >= 500, put.status);
  }
  const done = await json<{ attachment: AttachmentDto }>(`/api/uploads/${encodeURIComponent(upload.uploadId)}/complete`, { method: 'POST' }, call.signal);
  if (done.status !== 201 || !done.body) throw errorOf(done.status, done.body, 'The upload could not be finished.');
  return done.body.attachment;
}

async function uploadStreamed(file: Blob, fileName: string, meta: UploadMeta, call: UploadCall): Promise<AttachmentDto> {
  const form = new FormData();
  if (meta.durationSec !== undefined) form.set('durationSec', String(meta.durationSec));
  if (meta.waveform) form.set('waveform', meta.waveform.join(','));
  form.set('file', file, fileName);
  const response = await send('POST', '/api/uploads', form, {}, call, true);
  if (response.status !== 201) throw errorOf(response.status, response.body, 'The upload failed.');
  return (response.body as { attachment: AttachmentDto }).attachment;
}

/** Uploads one file (or recording); the attachment is then sent in a message by its id. */
export async function uploadFile(file: Blob, fileName: string, meta: UploadMeta = {}, call: UploadCall = {}): Promise<AttachmentDto> {
  const settings = await uploadOptions();
  if (file.size === 0) throw new UploadError(`${fileName} is empty.`, false);
  if (file.size > settings.maxBytes) {
    throw new UploadError(`${fileName} is too large: files may be at most ${formatLimit(settings.maxBytes)}. Send a smaller or compressed copy.`, false, 413);
  }
  const type = file.type || 'application/octet-stream';
  return settings.direct ? uploadDirect(file, fileName, type, meta, call) : uploadStreamed(file, fileName, meta, call);
}

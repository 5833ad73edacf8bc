/**
 * Stands in, in the bundled Lambdas only, for parts of axios's http adapter
 * (axios/lib/adapters/http.js) that only requests these Lambdas never make
 * would run: HTTP/2 sessions (`httpVersion: 2`), upload and download progress
 * and rate limits (`onUploadProgress`, `onDownloadProgress`, `maxRate`),
 * spec-compliant FormData bodies, and `data:` URLs. JIRA and Slack are called
 * over HTTPS/1.1 with JSON or URL-encoded bodies and no progress callbacks.
 * build.mjs resolves those imports of http.js here (MODULE_STAND_INS, issue
 * 12). Nothing here runs at load; should a bundle ever make such a request,
 * it fails loudly here instead of doing something else.
 */
function notBundled(what: string): never {
  throw new Error(`${what} are not supported in the bundled Lambdas: build.mjs leaves that part of axios out`);
}

/** axios/lib/helpers/Http2Sessions.js: http.js makes one at load and asks it for a session per HTTP/2 request. */
export class Http2SessionsNotBundled {
  getSession(): never {
    return notBundled('HTTP/2 requests (httpVersion: 2)');
  }
}

/** axios/lib/helpers/AxiosTransformStream.js: made only for progress callbacks and rate limits. */
export class AxiosTransformStreamNotBundled {
  constructor() {
    notBundled('upload/download progress callbacks and rate limits (onUploadProgress, onDownloadProgress, maxRate)');
  }
}

/** axios/lib/helpers/formDataToStream.js: a spec-compliant FormData body. */
export function formDataToStreamNotBundled(): never {
  return notBundled('FormData bodies');
}

/** axios/lib/helpers/fromDataURI.js: the body of a `data:` URL. */
export function fromDataURINotBundled(): never {
  return notBundled('data: URLs');
}

/** axios/lib/helpers/estimateDataURLDecodedBytes.js: the size check of a `data:` URL. */
export function estimateDataURLBufferAllocation(): never {
  return notBundled('data: URLs');
}

/**
 * node:http2, which http.js imports at load (about 10 ms of every cold start
 * here, the biggest single part of axios's) and reads only on its HTTP/2
 * path, after the Http2Sessions stand-in has already refused the request.
 */
export const http2NotBundled = {
  get constants(): never {
    return notBundled('HTTP/2 requests (httpVersion: 2)');
  },
};

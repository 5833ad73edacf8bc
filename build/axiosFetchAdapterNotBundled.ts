/**
 * Stands in, in the bundled reporting Lambda only, for axios's fetch adapter
 * (axios/lib/adapters/fetch.js), which at load builds a Request and reads
 * Response and ReadableStream, making Node load its fetch implementation
 * (undici) at every cold start. The Lambdas use axios's http adapter (axios's
 * default order: xhr, http, fetch; Node has no XMLHttpRequest), so the fetch
 * adapter is never chosen. build.mjs resolves adapters.js's `./fetch.js` here
 * (issue 12). Asked for by name (`adapter: 'fetch'`), axios answers that the
 * adapter is not available in this environment.
 */

/** axios's adapters.js asks `getFetch(config)` for the adapter; false means "not supported here". */
export const getFetch = (): false => false;

export default false;

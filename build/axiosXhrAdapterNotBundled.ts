/**
 * Stands in, in the bundled Lambdas only, for axios's XMLHttpRequest adapter
 * (axios/lib/adapters/xhr.js, with the cookie and same-origin helpers of the
 * browser it brings). That module exports `false` wherever XMLHttpRequest is
 * undefined, as in Node, and axios then passes over it to its http adapter;
 * this module exports the same `false` without the browser code. build.mjs
 * resolves adapters.js's `./xhr.js` here (issue 12).
 */
export default false;

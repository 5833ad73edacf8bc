/**
 * Stands in, in the bundled reporting Lambda only, for the `form-data`
 * package, which axios imports for multipart bodies (with mime-types and its
 * 140 KB mime-db). Every JIRA and Slack call of this project sends JSON, so
 * nothing ever constructs it; build.mjs aliases `form-data` here (issue 12).
 * Should a multipart body ever be sent from a bundle, it fails loudly here
 * instead of sending something else.
 */
export default class FormDataNotBundled {
  constructor() {
    throw new Error('multipart/form-data bodies are not supported in the bundled Lambdas: build.mjs leaves the form-data package out');
  }
}

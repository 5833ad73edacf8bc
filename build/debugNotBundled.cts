/**
 * Stands in, in the bundled reporting Lambda only, for the `debug` package,
 * which follow-redirects and https-proxy-agent (axios's redirect and proxy
 * paths) load to print diagnostics when the DEBUG variable names them. Nobody
 * sets DEBUG on these Lambdas; the package (with supports-color and ms) was
 * loaded at every cold start. build.mjs aliases `debug` here (issue 12).
 */
interface Debugger {
  (...args: unknown[]): void;
  enabled: boolean;
  namespace: string;
  extend: (suffix: string) => Debugger;
}

function createDebug(namespace: string): Debugger {
  return Object.assign(() => undefined, { enabled: false, namespace, extend: (suffix: string) => createDebug(`${namespace}:${suffix}`) });
}

export = createDebug;

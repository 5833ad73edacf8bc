/**
 * A Lambda function under a concurrency limit, modelled in this process: the
 * events wait in a queue (SNS invokes asynchronously; Lambda queues what it
 * cannot run yet); up to `concurrency` execution environments take them, each
 * one invocation at a time; an environment is created only when an event
 * waits and every existing one is busy, and it is cold: its own instance of
 * the built bundle is evaluated (own config, clients, credential cache,
 * connection pools and pacer, as a separate Lambda has), and its first
 * invocation creates the production dependencies. Later invocations on it are
 * warm.
 *
 * Everything runs on this process's one thread, where Lambda would give each
 * environment its own CPU: the wall time measured here is this machine's, an
 * upper bound for the same work on Lambda. The environments are kept from one
 * run to the next (a rescan soon after a scan finds them warm). The per-environment memory is not
 * visible here (all environments share one heap); one environment alone is
 * measured in its own process (oneEnvironment.ts).
 */
import { readFileSync } from 'node:fs';
import { Module } from 'node:module';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';

export type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** The parts of node:module's Module that loading a bundle as a fresh module instance uses. */
interface ModuleInstance {
  filename: string;
  paths: string[];
  exports: { lambda_handler?: unknown };
  _compile(source: string, filename: string): void;
}
type ModuleConstructor = (new (id: string) => ModuleInstance) & { _nodeModulePaths(from: string): string[] };

/**
 * A new, independent instance of a CommonJS bundle (what a new execution
 * environment loads): the bundle's module-level state is its own.
 */
export function loadBundleInstance(bundlePath: string, source: string = readFileSync(bundlePath, 'utf8')): Handler {
  const ModuleClass = Module as unknown as ModuleConstructor;
  const instance = new ModuleClass(bundlePath);
  instance.filename = bundlePath;
  instance.paths = ModuleClass._nodeModulePaths(dirname(bundlePath));
  instance._compile(source, bundlePath);
  const handler = instance.exports.lambda_handler;
  if (typeof handler !== 'function') throw new Error(`${bundlePath} exports no lambda_handler`);
  return handler as Handler;
}

export interface Invocation {
  /** Which environment ran it (0-based, in creation order). */
  environment: number;
  cold: boolean;
  /** From the moment an environment took the event to the handler's end (a cold one includes loading the bundle). */
  durationMs: number;
  /** Time the event waited in the queue for a free environment. */
  queuedMs: number;
  ok: boolean;
  error?: string;
}

export interface FleetRun {
  wallMs: number;
  invocations: Invocation[];
  /** Environments that took events. */
  environments: number;
  /** Of those, created (cold) in this run. */
  coldStarts: number;
  /** CPU time of this process during the run (the Lambda code of every environment), ms. */
  cpuMs: number;
}

export interface FleetOptions {
  bundlePath: string;
  concurrency: number;
  /** The Lambda context of one invocation. */
  context: (requestNumber: number) => unknown;
}

/**
 * The function's environments, kept from one run to the next as Lambda keeps
 * them between invocations that come soon enough: a second run finds them warm.
 */
export class LambdaFleet {
  private readonly source: string;
  private readonly environments: Handler[] = [];

  /** Environments start one at a time, each in its own turn of the event loop (see startEnvironment). */
  private startTurn: Promise<void> = Promise.resolve();

  constructor(private readonly options: FleetOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError(`concurrency must be a whole number >= 1, got ${options.concurrency}`);
    this.source = readFileSync(options.bundlePath, 'utf8');
  }

  /**
   * A new environment. Lambda starts environments side by side on their own
   * CPUs; here they take turns with the calls already in flight: each load is
   * synchronous (~0.1 s), and a hundred in a row would hold this thread for
   * seconds, past the SDK's request timeouts.
   */
  private async startEnvironment(): Promise<Handler> {
    const turn = this.startTurn.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.startTurn = turn;
    await turn;
    return loadBundleInstance(this.options.bundlePath, this.source);
  }

  /** Hands every event to the function at once (they queue), and waits until all are handled. */
  async run(events: readonly unknown[]): Promise<FleetRun> {
    const invocations: Invocation[] = new Array(events.length);
    const workers = Math.min(this.options.concurrency, events.length);
    const createdBefore = this.environments.length;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let next = 0;

    // Environment `number` takes the next waiting event as soon as it is free.
    const work = async (number: number): Promise<void> => {
      while (next < events.length) {
        const index = next;
        next += 1;
        const took = performance.now();
        const cold = this.environments[number] === undefined;
        try {
          const handler = this.environments[number] ?? (await this.startEnvironment());
          this.environments[number] = handler;
          await handler(events[index], this.options.context(index));
          invocations[index] = { environment: number, cold, durationMs: performance.now() - took, queuedMs: took - started, ok: true };
        } catch (err: unknown) {
          invocations[index] = { environment: number, cold, durationMs: performance.now() - took, queuedMs: took - started, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, (_, number) => work(number)));
    const cpu = process.cpuUsage(cpuBefore);
    return { wallMs: performance.now() - started, invocations, environments: workers, coldStarts: this.environments.length - createdBefore, cpuMs: (cpu.user + cpu.system) / 1000 };
  }
}

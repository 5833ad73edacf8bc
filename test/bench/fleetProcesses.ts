/**
 * The identification function's environments spread over a few processes
 * (fleetWorker.ts), so that the benchmark uses this machine's cores: the
 * concurrency limit is split between them (100 over 2 processes: 50
 * environments each), and the events are dealt out in turn, each process
 * queueing its own. The model is otherwise lambdaFleet.ts's: every
 * environment cold at first, one invocation at a time, warm after.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { FleetRun } from './lambdaFleet.ts';
import type { LogCounts } from './lambdaLogSink.ts';
import type { FleetWorkerReply, FleetWorkerRequest, WorkerRun } from './fleetWorker.ts';

export interface FleetProcessesRun {
  run: FleetRun;
  processes: number;
  /** The largest of the processes. */
  peakRss: number;
  peakHeapUsed: number;
  /** The worst of the processes. */
  loopDelayMs: { p99: number; max: number };
  logs: LogCounts[];
}

class FleetWorker {
  private readonly child: ChildProcess;
  private pending: Array<(reply: FleetWorkerReply) => void> = [];

  constructor() {
    this.child = fork(join(dirname(fileURLToPath(import.meta.url)), 'fleetWorker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (reply: FleetWorkerReply) => this.pending.shift()?.(reply));
  }

  ask(request: FleetWorkerRequest): Promise<FleetWorkerReply> {
    return new Promise((resolve, reject) => {
      this.pending.push((reply) => (reply.type === 'failed' ? reject(new Error(`fleet worker: ${reply.error}`)) : resolve(reply)));
      this.child.send(request);
    });
  }

  async stop(): Promise<void> {
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies FleetWorkerRequest);
    if (this.child.exitCode === null && this.child.signalCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
  }
}

export class FleetProcesses {
  private readonly workers: FleetWorker[];
  private readonly shares: number[];

  /** `processes` processes share `concurrency` environments (each at least one). */
  constructor(readonly concurrency: number, processes: number) {
    const count = Math.max(1, Math.min(processes, concurrency));
    this.shares = Array.from({ length: count }, (_, index) => Math.floor(concurrency / count) + (index < concurrency % count ? 1 : 0));
    this.workers = this.shares.map(() => new FleetWorker());
  }

  get processes(): number {
    return this.workers.length;
  }

  async start(input: { bundlePath: string; env: Record<string, string>; functionName: string; accountId: string }): Promise<void> {
    await Promise.all(this.workers.map((worker, index) => worker.ask({ type: 'start', bundlePath: input.bundlePath, concurrency: this.shares[index] as number, env: input.env, functionName: input.functionName, accountId: input.accountId })));
  }

  /** Deals the events out in turn, runs them everywhere at once, and puts the results back in the events' order. */
  async run(events: readonly unknown[]): Promise<FleetProcessesRun> {
    const dealt = this.workers.map((_, worker) => events.filter((__, index) => index % this.workers.length === worker));
    const started = performance.now();
    const results = await Promise.all(this.workers.map(async (worker, index) => {
      const reply = await worker.ask({ type: 'run', events: dealt[index] as unknown[] });
      if (reply.type !== 'ran') throw new Error(`fleet worker: unexpected ${reply.type}`);
      return reply.result;
    }));
    const wallMs = performance.now() - started;
    const invocations: FleetRun['invocations'] = new Array(events.length);
    let offset = 0;
    results.forEach((result: WorkerRun, worker) => {
      result.run.invocations.forEach((invocation, index) => {
        invocations[index * this.workers.length + worker] = { ...invocation, environment: invocation.environment + offset };
      });
      offset += this.shares[worker] as number;
    });
    return {
      run: {
        wallMs,
        invocations,
        environments: results.reduce((sum, result) => sum + result.run.environments, 0),
        coldStarts: results.reduce((sum, result) => sum + result.run.coldStarts, 0),
        cpuMs: results.reduce((sum, result) => sum + result.run.cpuMs, 0),
      },
      processes: this.workers.length,
      peakRss: results.reduce((max, result) => Math.max(max, result.peakRss), 0),
      peakHeapUsed: results.reduce((max, result) => Math.max(max, result.peakHeapUsed), 0),
      loopDelayMs: { p99: results.reduce((max, result) => Math.max(max, result.loopDelayMs.p99), 0), max: results.reduce((max, result) => Math.max(max, result.loopDelayMs.max), 0) },
      logs: results.map((result) => result.logs),
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
  }
}

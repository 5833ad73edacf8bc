/**
 * One process of the identification fleet (fleetProcesses.ts): it holds its
 * share of the function's environments (lambdaFleet.ts) and runs the events it
 * is handed, counting the Lambdas' log lines, its peak memory and how late its
 * event loop ran. Driven over the IPC channel.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MemorySampler } from './benchReport.ts';
import { lambdaContext } from './lambdaContext.ts';
import { LambdaFleet, type FleetRun } from './lambdaFleet.ts';
import { LambdaLogSink, type LogCounts } from './lambdaLogSink.ts';

export type FleetWorkerRequest =
  | { type: 'start'; bundlePath: string; concurrency: number; env: Record<string, string>; functionName: string; accountId: string }
  | { type: 'run'; events: unknown[] }
  | { type: 'stop' };

export interface WorkerRun {
  run: FleetRun;
  peakRss: number;
  peakHeapUsed: number;
  loopDelayMs: { p99: number; max: number };
  logs: LogCounts;
}

export type FleetWorkerReply =
  | { type: 'ready' }
  | { type: 'ran'; result: WorkerRun }
  | { type: 'failed'; error: string };

let fleet: LambdaFleet | undefined;

async function handle(request: FleetWorkerRequest): Promise<FleetWorkerReply | undefined> {
  switch (request.type) {
    case 'start':
      Object.assign(process.env, request.env);
      fleet = new LambdaFleet({
        bundlePath: request.bundlePath,
        concurrency: request.concurrency,
        context: () => lambdaContext(request.functionName, request.accountId),
      });
      return { type: 'ready' };
    case 'run': {
      if (!fleet) throw new Error('fleet worker not started');
      const logs = new LambdaLogSink();
      const sampler = new MemorySampler();
      const delay = monitorEventLoopDelay({ resolution: 20 });
      logs.install();
      sampler.start(100);
      delay.enable();
      try {
        const run = await fleet.run(request.events);
        delay.disable();
        sampler.stop();
        return { type: 'ran', result: { run, peakRss: sampler.peakRss, peakHeapUsed: sampler.peakHeapUsed, loopDelayMs: { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 }, logs: logs.counts() } };
      } finally {
        logs.uninstall();
      }
    }
    case 'stop':
      process.disconnect();
      return undefined;
  }
}

process.on('message', (request: FleetWorkerRequest) => {
  handle(request).then(
    (reply) => {
      if (reply) process.send?.(reply);
    },
    (err: unknown) => process.send?.({ type: 'failed', error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) } satisfies FleetWorkerReply),
  );
});

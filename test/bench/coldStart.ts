/**
 * Cold start of the built Lambdas, measured as a whole process.
 *
 * Definition (issue 12): one cold start is one fresh `node` process that does
 * what the nodejs runtime does for a first invocation (the runner of
 * test/helpers/builtLambdas.ts): require `<task root>/<name>.js`, call
 * `lambda_handler` with an event and a context, and exit when it settles. The
 * invocation reads the config and creates the clients (`productionDeps`), and
 * returns without any network call:
 *
 *   - describe_cloudtrails: an SNS event whose message is not a scan message
 *     (logged and dropped);
 *   - initiate_to_desc_cloudtrails: the schedule's event with
 *     `cloudtrails.enabled: false` (logged, nothing published);
 *   - create_cloudtrail_tickets: the schedule's event with
 *     `cloudtrails.reporting: false` (logged, nothing reported);
 *   - clean_cloudtrails: the schedule's event with `cloudtrails.remediation:
 *     false` (logged, nothing remediated);
 *   - realtime_to_desc_cloudtrails: an event that is not an SQS event (logged,
 *     dropped).
 *
 * The config is the benchmark's (all its accounts, `aws.regions` set: the
 * common path) with those three flags off, read through HAMMER_CONFIG_DIR. The
 * process gets only the environment Lambda gives (no NODE_EXTRA_CA_CERTS,
 * which makes Node read a CA file at start; Lambda does not set it).
 *
 * Runs are paired: every round starts a bare `node -e ''` (the floor: Node's
 * own start and exit on this machine at this moment) and then each Lambda, in
 * an order rotated per round; the figure is the median over rounds of
 * (Lambda process - bare process of the same round), so the machine's load
 * moves both sides alike.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { invokeBuiltHandler, runProcess, writeLambdaRunner, type BuiltLambda } from '../helpers/builtLambdas.ts';
import { median } from './benchReport.ts';

/**
 * The floor: a Node process that does nothing but report its CPU time as it
 * ends (the one statement costs microseconds; its wall time is `node -e ''`'s).
 */
const BARE_SCRIPT = 'const u = process.resourceUsage(); process.stdout.write(String((u.userCPUTime + u.systemCPUTime) / 1000))';

/** The Lambda's own credentials (never used: no call leaves the process). */
export const COLD_START_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAQCOLDSTART000001',
  AWS_SECRET_ACCESS_KEY: 'Y29sZC1zdGFydC1yb2xlLXNlY3JldA',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjCOLDSTARTtoken',
};

/** The config.json of the cold-start runs: the given one with scanning, reporting and remediation off. */
export function coldStartConfigJson(config: Record<string, unknown>): Record<string, unknown> {
  const cloudtrails = (config.cloudtrails ?? {}) as Record<string, unknown>;
  return { ...config, cloudtrails: { ...cloudtrails, enabled: false, reporting: false, remediation: false } };
}

/** The event of each Lambda's cold invocation (see the file comment). */
export function coldStartEvent(name: string, topicArn: string): unknown {
  if (name === 'realtime_to_desc_cloudtrails') return { detail: 'not an SQS event' };
  if (name === 'describe_cloudtrails') {
    return {
      Records: [{
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:00000000-0000-4000-8000-000000000000`,
        Sns: { Type: 'Notification', MessageId: '00000000-0000-4000-8000-000000000001', TopicArn: topicArn, Message: 'not a scan message', Timestamp: '2026-11-26T16:00:00.000Z', SignatureVersion: '1', Signature: 'COLD', SigningCertUrl: 'https://sns.invalid/cert.pem', UnsubscribeUrl: 'https://sns.invalid/unsubscribe', MessageAttributes: {} },
      }],
    };
  }
  return { version: '0', id: '00000000-0000-4000-8000-000000000002', 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-11-26T16:00:00Z', region: 'eu-west-1', resources: [], detail: {} };
}

export interface ColdStartCase {
  /** What the figures are reported under (default: the Lambda's name). */
  label?: string;
  lambda: BuiltLambda;
  event: unknown;
}

export interface ColdStartFigures {
  name: string;
  /** Median whole-process time, ms. */
  processMs: number;
  /** Median over rounds of (this process - the bare process of the round), ms. */
  aboveBareMs: number;
  /** Median time of the require of the handler module (the runner's load_ms). */
  requireMs: number;
  /** Median over rounds of (CPU time of this process - CPU time of the bare process of the round), ms. */
  cpuAboveBareMs: number;
}

export interface ColdStartReport {
  runs: number;
  /** Median of the bare `node -e ''` processes. */
  bareMs: number;
  /** Median CPU time of the bare processes (user + system), ms. */
  bareCpuMs: number;
  lambdas: ColdStartFigures[];
}

export interface ColdStartOptions {
  runs: number;
  /** A folder outside the repository (the runner and events go there). */
  work: string;
  /** The config folder with the cold-start config (HAMMER_CONFIG_DIR). */
  configDir: string;
  /** The function ARN's account and region: `arn:aws:lambda:<region>:<account>:function:`. */
  functionArnPrefix: string;
  /** SNS_ARN, as the initiation Lambda is configured (never published to here). */
  topicArn: string;
  /** Called after each round (progress). */
  onRound?: (round: number) => void;
}

/** Runs `runs` paired rounds; throws when a cold invocation fails (a broken bundle is not a fast one). */
export async function measureColdStarts(cases: readonly ColdStartCase[], options: ColdStartOptions): Promise<ColdStartReport> {
  const runner = writeLambdaRunner(options.work);
  const bare: number[] = [];
  const process_: Record<string, number[]> = {};
  const above: Record<string, number[]> = {};
  const requires: Record<string, number[]> = {};
  const cpuAbove: Record<string, number[]> = {};
  const bareCpu: number[] = [];
  const labelOf = (entry: ColdStartCase): string => entry.label ?? entry.lambda.name;
  for (const entry of cases) {
    process_[labelOf(entry)] = [];
    above[labelOf(entry)] = [];
    requires[labelOf(entry)] = [];
    cpuAbove[labelOf(entry)] = [];
  }
  const env = {
    ...COLD_START_CREDENTIALS,
    HAMMER_CONFIG_DIR: options.configDir,
    SNS_ARN: options.topicArn,
    // The real-time Lambda's debounce table (never reached: the event is dropped first).
    REALTIME_TABLE_NAME: 'hammer-realtime-rescans',
    // The log lines of a cold invocation are part of its cost; they go to a pipe, as on Lambda.
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  const bareEnv = { PATH: process.env.PATH ?? '' };
  for (let round = 0; round < options.runs; round += 1) {
    const started = performance.now();
    const floor = await runProcess(process.execPath, ['-e', BARE_SCRIPT], { cwd: options.work, env: bareEnv });
    const bareMs = performance.now() - started;
    if (floor.code !== 0) throw new Error(`node -e '' failed: ${floor.stderr}`);
    const bareCpuMs = Number(floor.stdout);
    bare.push(bareMs);
    bareCpu.push(bareCpuMs);
    for (let index = 0; index < cases.length; index += 1) {
      const entry = cases[(index + round) % cases.length] as ColdStartCase;
      const { lambda, event } = entry;
      const label = labelOf(entry);
      const began = performance.now();
      const run = await invokeBuiltHandler({
        runner,
        lambda,
        event,
        functionArn: `${options.functionArnPrefix}hammer-${lambda.name}`,
        requestId: `cold-${round}-${index}`,
        env,
      });
      const ms = performance.now() - began;
      if (run.outcome?.ok !== true) throw new Error(`cold invocation of ${lambda.name} failed: ${run.stdout}\n${run.stderr}`);
      (process_[label] as number[]).push(ms);
      (above[label] as number[]).push(ms - bareMs);
      (requires[label] as number[]).push(run.outcome.load_ms ?? Number.NaN);
      (cpuAbove[label] as number[]).push((run.outcome.cpu_ms ?? Number.NaN) - bareCpuMs);
    }
    options.onRound?.(round);
  }
  return {
    runs: options.runs,
    bareMs: median(bare),
    bareCpuMs: median(bareCpu),
    lambdas: cases.map((entry) => ({
      name: labelOf(entry),
      processMs: median(process_[labelOf(entry)] as number[]),
      aboveBareMs: median(above[labelOf(entry)] as number[]),
      requireMs: median(requires[labelOf(entry)] as number[]),
      cpuAboveBareMs: median(cpuAbove[labelOf(entry)] as number[]),
    })),
  };
}

/** Writes the cold-start config folder (config.json and the empty side files) and gives its path. */
export function writeColdStartConfig(folder: string, config: Record<string, unknown>): string {
  writeFileSync(join(folder, 'config.json'), JSON.stringify(coldStartConfigJson(config), null, 2));
  writeFileSync(join(folder, 'whitelist.json'), JSON.stringify({ cloudtrails: {} }));
  writeFileSync(join(folder, 'ticket_owners.json'), JSON.stringify({}));
  return folder;
}

/**
 * How long Hammer's Python chain would take for the same world and the same
 * latencies: one message per account, one region per invocation, each
 * invocation publishing the rest of the list back to SNS (read from
 * hammer/identification/lambdas/cloudtrails-issues-identification/describe_cloudtrails.py
 * and library/aws/cloudtrail.py). Every call of an invocation is sequential:
 *
 *   AssumeRole, Query (the account's open issues), DescribeTrails,
 *   GetTrailStatus for every listed trail (shadows included, every region again),
 *   GetEventSelectors for each with custom selectors,
 *   GetItem + PutItem when the region has an issue (first scan),
 *   Publish of the remaining regions (all but the last invocation),
 *
 * plus one SNS-to-Lambda hop per invocation. Accounts run in parallel, so the
 * scan takes at least as long as the slowest account's chain, and, under a
 * Lambda concurrency limit, at least as long as all invocations' busy time
 * spread over that many environments. Python's own processing time and Lambda
 * cold starts are left out: the model is a lower bound.
 */
import type { BenchWorld } from './benchWorld.ts';

export interface ChainLatencies {
  awsMs: number;
  dynamoMs: number;
  snsHopMs: number;
  /** The identification function's concurrency limit (default: none). */
  concurrency?: number;
}

export interface ChainEstimate {
  /** Per account, the whole chain. */
  perAccountMs: number[];
  /** The scan's duration: the slowest account, or the busy time over the concurrency limit if longer. */
  scanMs: number;
  /** The invocations' time in Lambda, all summed (SNS hops excluded). */
  busyMs: number;
  invocations: number;
  cloudTrailCalls: number;
}

export function estimateHammerChain(world: BenchWorld, latencies: ChainLatencies): ChainEstimate {
  const perAccountMs: number[] = [];
  let invocations = 0;
  let cloudTrailCalls = 0;
  let busyMs = 0;
  for (const regions of Object.values(world.expected)) {
    const list = Object.values(regions);
    let total = 0;
    list.forEach((region, index) => {
      const last = index === list.length - 1;
      const cloudTrail = 1 + region.visibleTrails + region.customSelectors;
      const aws = 1 + cloudTrail + (last ? 0 : 1);
      const dynamo = 1 + (region.issue ? 2 : 0);
      const busy = aws * latencies.awsMs + dynamo * latencies.dynamoMs;
      total += busy + latencies.snsHopMs;
      busyMs += busy;
      invocations += 1;
      cloudTrailCalls += cloudTrail;
    });
    perAccountMs.push(total);
  }
  const slowestChain = perAccountMs.reduce((max, ms) => Math.max(max, ms), 0);
  const spread = latencies.concurrency === undefined ? 0 : busyMs / latencies.concurrency;
  return { perAccountMs, scanMs: Math.max(slowestChain, spread), busyMs, invocations, cloudTrailCalls };
}

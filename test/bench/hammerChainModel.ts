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
 * scan takes as long as the slowest account's chain. Python's own processing
 * time and Lambda cold starts are left out: the model is a lower bound.
 */
import type { BenchWorld } from './benchWorld.ts';

export interface ChainLatencies {
  awsMs: number;
  dynamoMs: number;
  snsHopMs: number;
}

export interface ChainEstimate {
  /** Per account, the whole chain. */
  perAccountMs: number[];
  /** The slowest account: the scan's duration. */
  scanMs: number;
  invocations: number;
  cloudTrailCalls: number;
}

export function estimateHammerChain(world: BenchWorld, latencies: ChainLatencies): ChainEstimate {
  const perAccountMs: number[] = [];
  let invocations = 0;
  let cloudTrailCalls = 0;
  for (const regions of Object.values(world.expected)) {
    const list = Object.values(regions);
    let total = 0;
    list.forEach((region, index) => {
      const last = index === list.length - 1;
      const cloudTrail = 1 + region.visibleTrails + region.customSelectors;
      const aws = 1 + cloudTrail + (last ? 0 : 1);
      const dynamo = 1 + (region.issue ? 2 : 0);
      total += aws * latencies.awsMs + dynamo * latencies.dynamoMs + latencies.snsHopMs;
      invocations += 1;
      cloudTrailCalls += cloudTrail;
    });
    perAccountMs.push(total);
  }
  return { perAccountMs, scanMs: Math.max(0, ...perAccountMs), invocations, cloudTrailCalls };
}

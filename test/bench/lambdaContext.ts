/** The Lambda context the benchmark gives each invocation it runs in process. */
import { MAIN_REGION } from './benchWorld.ts';

/** The identification Lambda's timeout (300 s), for getRemainingTimeInMillis. */
export const TIMEOUT_MS = 300_000;

let invocationCounter = 0;
export function lambdaContext(functionName: string, accountId: string): Record<string, unknown> {
  invocationCounter += 1;
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${MAIN_REGION}:${accountId}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `bench-${process.pid}-${String(invocationCounter).padStart(6, '0')}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `bench/${invocationCounter}`,
    getRemainingTimeInMillis: () => Math.max(0, TIMEOUT_MS - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

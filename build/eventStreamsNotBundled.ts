/**
 * Stands in, in the bundled Lambdas only, for `@smithy/core/event-streams`,
 * which the SDK's protocols import on demand for operations with event-stream
 * members. No operation these Lambdas call has one (CloudTrail's, DynamoDB's,
 * STS's, SNS's and EC2's used here are plain requests); build.mjs aliases it
 * here (issue 12). Should one ever need it, the call fails loudly.
 */
function notBundled(): never {
  throw new Error('AWS event streams are not bundled into the Lambda zips (build.mjs aliases @smithy/core/event-streams)');
}

export class EventStreamSerde {
  constructor() {
    notBundled();
  }
}

export const eventStreamSerdeProvider = (): never => notBundled();

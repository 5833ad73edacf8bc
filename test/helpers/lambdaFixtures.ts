import type { Context, SNSEvent } from 'aws-lambda';

/** A Lambda context as the nodejs22.x runtime passes it, with the remaining time under the test's control. */
export function lambdaContext(options: { accountId: string; functionName: string; remainingMs?: () => number }): Context {
  const region = 'eu-west-1';
  const remainingMs = options.remainingMs ?? (() => 299_000);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${options.accountId}:function:${options.functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: '5f0c8a4e-7d1b-4c53-9a61-2b3c4d5e6f70',
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: '2026/11/26/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** An SNS-triggered invocation's event, one record per message, as Lambda delivers it. */
export function snsEvent(topicArn: string, messages: readonly string[]): SNSEvent {
  return {
    Records: messages.map((message, index) => ({
      EventVersion: '1.0',
      EventSubscriptionArn: `${topicArn}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
      EventSource: 'aws:sns',
      Sns: {
        SignatureVersion: '1',
        Timestamp: '2026-11-26T15:56:19.000Z',
        Signature: 'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
        SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
        MessageId: `95df01b4-ee98-5cb9-9903-4c221d41eb5${index}`,
        Message: message,
        MessageAttributes: {},
        Type: 'Notification',
        UnsubscribeUrl: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:2bcfbf39`,
        TopicArn: topicArn,
        Subject: undefined,
      },
    })),
  };
}

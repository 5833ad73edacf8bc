import { PublishBatchCommand, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';
import pLimit from 'p-limit';
import { awsErrorCode, awsErrorFields } from '../aws/awsErrors.ts';
import type { Log } from '../runtime/logger.ts';
import { serializeScanMessage, topicRegion, type ScanMessage } from './scanMessage.ts';
import type { Sleep } from '../runtime/sleep.ts';

/** SNS accepts at most 10 entries per PublishBatch. */
export const PUBLISH_BATCH_SIZE = 10;

export interface PublishResult {
  published: number;
  /** Messages SNS did not take, with the error code it gave. */
  failed: Array<{ message: ScanMessage; errorCode: string }>;
}

export interface PublisherOptions {
  log: Log;
  sleep: Sleep;
  /** PublishBatch calls in flight at once. */
  concurrency?: number;
  /** Attempts for entries SNS failed on its side (SenderFault false); the SDK retries whole calls itself. */
  entryAttempts?: number;
}

/**
 * Publishes scan messages to a topic with SNS PublishBatch (10 per call) and
 * bounded concurrency, retrying the entries SNS failed on its side. The SNS
 * client is the one of the topic's region.
 */
export class ScanMessagePublisher {
  constructor(
    private readonly snsFor: (region: string) => SNSClient,
    private readonly options: PublisherOptions,
  ) {}

  async publish(topicArn: string, messages: readonly ScanMessage[], fallbackRegion: string): Promise<PublishResult> {
    const sns = this.snsFor(topicRegion(topicArn) ?? fallbackRegion);
    const limit = pLimit(this.options.concurrency ?? 4);
    const batches: ScanMessage[][] = [];
    for (let start = 0; start < messages.length; start += PUBLISH_BATCH_SIZE) batches.push(messages.slice(start, start + PUBLISH_BATCH_SIZE));
    const results = await Promise.all(batches.map((batch) => limit(() => this.publishBatch(sns, topicArn, batch))));
    const failed = results.flat();
    for (const { message, errorCode } of failed) {
      this.options.log.error('scan message not published', { account_id: message.account_id, region: message.regions.join(','), topic_arn: topicArn, operation: 'PublishBatch', error_code: errorCode });
    }
    return { published: messages.length - failed.length, failed };
  }

  private async publishBatch(sns: SNSClient, topicArn: string, batch: readonly ScanMessage[]): Promise<PublishResult['failed']> {
    let pending = batch.map((message, index) => ({ id: `m${index}`, message }));
    const refused: PublishResult['failed'] = [];
    const attempts = this.options.entryAttempts ?? 3;
    for (let attempt = 1; ; attempt += 1) {
      const entries: PublishBatchRequestEntry[] = pending.map(({ id, message }) => ({ Id: id, Message: serializeScanMessage(message) }));
      let response;
      try {
        response = await sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
      } catch (err: unknown) {
        this.options.log.warn('PublishBatch failed', { topic_arn: topicArn, messages: pending.length, ...awsErrorFields('PublishBatch', err) });
        return [...refused, ...pending.map(({ message }) => ({ message, errorCode: awsErrorCode(err) }))];
      }
      const failures = new Map((response.Failed ?? []).map((failure) => [failure.Id, failure]));
      const retryable = [];
      for (const entry of pending) {
        const failure = failures.get(entry.id);
        if (failure === undefined) continue;
        if (failure.SenderFault === true) refused.push({ message: entry.message, errorCode: failure.Code ?? 'UnknownError' });
        else retryable.push({ ...entry, errorCode: failure.Code ?? 'UnknownError' });
      }
      if (retryable.length === 0 || attempt >= attempts) {
        return [...refused, ...retryable.map(({ message, errorCode }) => ({ message, errorCode }))];
      }
      await this.options.sleep(200 * 2 ** (attempt - 1));
      pending = retryable.map(({ id, message }) => ({ id, message }));
    }
  }
}
